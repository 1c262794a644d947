"""Writing systems: which scripts a text is written in, and Simplified versus Traditional Chinese.

Counts are over letters only (digits, punctuation and spaces carry no script),
so a profile's shares sum to 1 for any text with letters.
"""
from __future__ import annotations

import re

SCRIPT_RANGES = {  # letters only, so that counts can be summed run by run
    "latin": "A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff",
    "han": "\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f",
    "kana": "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9d",
    "hangul": "\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3",
    "cyrillic": "\u0400-\u0481\u048a-\u052f",
    "arabic": "\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc",
    "greek": "\u0386\u0388-\u03ff\u1f00-\u1fbc",
    "hebrew": "\u05d0-\u05ea",
    "devanagari": "\u0904-\u0939\u093d\u0950\u0958-\u0961\u0971-\u097f",
    "thai": "\u0e01-\u0e30\u0e32\u0e33\u0e40-\u0e46",
}
_LETTER = re.compile(r"[^\W\d_]")
_LETTERS = re.compile(r"[^\W\d_]+")
_NOT_LATIN = re.compile(f"[^\\W\\d_{SCRIPT_RANGES['latin']}]")
_SCRIPT_RUNS = {name: re.compile(f"[{chars}]+") for name, chars in SCRIPT_RANGES.items()}
_CJK = re.compile(f"[{SCRIPT_RANGES['han']}{SCRIPT_RANGES['kana']}{SCRIPT_RANGES['hangul']}]")
# East Asian text by Unicode block, its punctuation and full-width forms included (CJK Radicals to CJK
# Unified Ideographs, Compatibility Ideographs, Halfwidth and Fullwidth Forms; Hangul syllables not):
# coarser than `is_cjk`, it is what decoding judges an encoding's guess by and what line joining spaces by.
EAST_ASIAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")

# Pairs of one character in Simplified and Traditional Chinese, chosen so that neither
# form is in ordinary use in the other script.
SIMPLIFIED = (
    "这们国会来时说过对学发经问与现开关实体点当样还从进区产业为个动么长东车万门见无没"
    "书电话语让认识间听气头场机种应报华将总两边变条员级处务组线战争权义议论设计资财济"
    "农钱银货贸费单岛湾乡县广厂医药买卖热爱乐欢观视览亲兴举党闻网络写读红绿蓝马鸟鱼龙"
    "飞盖压确术际则规师节统历营标质维护练团园围图达运远选连记许证评调谈请诉该详误导带"
    "归"
)
TRADITIONAL = (
    "這們國會來時說過對學發經問與現開關實體點當樣還從進區產業為個動麼長東車萬門見無沒"
    "書電話語讓認識間聽氣頭場機種應報華將總兩邊變條員級處務組線戰爭權義議論設計資財濟"
    "農錢銀貨貿費單島灣鄉縣廣廠醫藥買賣熱愛樂歡觀視覽親興舉黨聞網絡寫讀紅綠藍馬鳥魚龍"
    "飛蓋壓確術際則規師節統歷營標質維護練團園圍圖達運遠選連記許證評調談請訴該詳誤導帶"
    "歸"
)
_SIMPLIFIED_SET, _TRADITIONAL_SET = frozenset(SIMPLIFIED), frozenset(TRADITIONAL)


def script_profile(text: str) -> dict[str, float]:
    """Share of the letters of `text` in each script ("latin", "han", "kana", "hangul", ..., "other")."""
    if not _LETTER.search(text):
        return {}
    if text.isascii() or not _NOT_LATIN.search(text):
        return {"latin": 1.0}
    letters = _run_length(_LETTERS, text)
    profile, left = {}, letters
    for name, runs in _SCRIPT_RUNS.items():
        count = _run_length(runs, text) if left > 0 else 0
        if count:
            profile[name] = count / letters
            left -= count
    if left > 0:
        profile["other"] = left / letters
    return profile


def _run_length(runs: re.Pattern, text: str) -> int:
    return sum(map(len, runs.findall(text)))


def is_cjk(char: str) -> bool:
    """True for a Han, Kana or Hangul character."""
    return bool(_CJK.match(char))


def is_traditional(text: str) -> bool:
    """True when `text` is written in Traditional rather than Simplified Chinese."""
    traditional = sum(char in _TRADITIONAL_SET for char in text)
    simplified = sum(char in _SIMPLIFIED_SET for char in text)
    return traditional > 2 * simplified
