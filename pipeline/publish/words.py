"""The reader's words on the site, in English, French and Chinese: headings, filters, notes and flags.

`ui(key)` gives every reader language's version, for the page to carry all three
and show the reader's; `say(key, reader)` gives one.
"""
from __future__ import annotations

from pipeline.publish.markdown import LANGUAGE_NAMES

HTML_LANG = {"en": "en", "fr": "fr", "zh": "zh-Hans"}  # a language code's BCP 47 tag
READERS = ("en", "fr", "zh")  # the languages the index can be read in: the pivot and the rendered summaries
NAMES = {  # a language's name in each reader's language
    "en": {"en": "English", "fr": "French", "zh": "Chinese"},
    "fr": {"en": "anglais", "fr": "français", "zh": "chinois"},
    "zh": {"en": "英文", "fr": "法文", "zh": "中文"},
}
UI = {  # a tuple is (one, many), picked by `n`
    "heading": {"en": "Article digests", "fr": "Résumés des articles", "zh": "文章摘要"},
    "documents": {"en": ("{n} document", "{n} documents"), "fr": ("{n} document", "{n} documents"),
                  "zh": "{n} 篇文档"},
    "failed": {"en": "{n} failed", "fr": ("{n} en échec", "{n} en échec"), "zh": "{n} 篇失败"},
    "to check": {"en": "{n} with something to check", "fr": ("{n} à vérifier", "{n} à vérifier"),
                 "zh": "{n} 篇需要核查"},
    "filters": {"en": "Filter", "fr": "Filtrer", "zh": "筛选"},
    "source language": {"en": "Source language", "fr": "Langue d'origine", "zh": "原文语言"},
    "all": {"en": "All", "fr": "Toutes", "zh": "全部"},
    "from": {"en": "From", "fr": "Du", "zh": "从"},
    "to": {"en": "To", "fr": "Au", "zh": "到"},
    "flagged": {"en": "Only with flags", "fr": "Seulement les signalés", "zh": "只看有标记的"},
    "clear": {"en": "Clear", "fr": "Effacer", "zh": "清除"},
    "no match": {"en": "No document matches these filters.", "fr": "Aucun document ne correspond à ces filtres.",
                 "zh": "没有符合筛选条件的文档。"},
    "mixed": {"en": "code-mixed", "fr": "langues mêlées", "zh": "多语混合"},
    "reports": {"en": "Evaluation reports:", "fr": "Rapports d'évaluation :", "zh": "评测报告："},
    "error in": {"en": "error in {stage}", "fr": "erreur à l'étape {stage}", "zh": "{stage} 阶段出错"},
    "error": {"en": "error in an unknown stage", "fr": "erreur à une étape inconnue", "zh": "未知阶段出错"},
    "truncated": {"en": "truncated", "fr": "tronqué", "zh": "已截断"},
    "weak translations": {"en": ("{n} low-quality translation", "{n} low-quality translations"),
                          "fr": ("{n} traduction douteuse", "{n} traductions douteuses"), "zh": "{n} 处译文质量低"},
    "weak pairs": {"en": ("{n} weak digest pair", "{n} weak digest pairs"),
                   "fr": ("{n} paire de résumé faible", "{n} paires de résumé faibles"), "zh": "{n} 处摘要对照较弱"},
    "unsupported": {"en": ("{n} unsupported summary sentence", "{n} unsupported summary sentences"),
                    "fr": ("{n} phrase du résumé sans appui", "{n} phrases du résumé sans appui"),
                    "zh": "{n} 句摘要缺乏原文依据"},
    "guarded": {"en": ("{n} output guard flag", "{n} output guard flags"),
                "fr": ("{n} alerte de contrôle", "{n} alertes de contrôle"), "zh": "{n} 个输出检查标记"},
    "facts": {"en": ("{n} term, number or name to check", "{n} terms, numbers or names to check"),
              "fr": ("{n} terme, nombre ou nom à vérifier", "{n} termes, nombres ou noms à vérifier"),
              "zh": "{n} 处术语、数字或名称待核对"},
    "no summary flag": {"en": "no summary", "fr": "pas de résumé", "zh": "无摘要"},
    "duplicate": {"en": "duplicate", "fr": "doublon", "zh": "重复"},
    "in": {"en": "in {language}", "fr": "en {language}", "zh": "{language}"},
    "not digested": {"en": "Not digested: the {stage} stage failed.", "fr": "Pas de résumé : l'étape {stage} a échoué.",
                     "zh": "未能生成摘要：{stage} 阶段出错。"},
    "no summary": {"en": "No summary for this document.", "fr": "Pas de résumé pour ce document.",
                   "zh": "此文档没有摘要。"},
}


def ui(key: str, **values) -> list[dict]:
    """The words `key` in each reader language, as [{reader, lang, text}], with `values` filled in."""
    found = []
    for reader in READERS:
        text = UI[key][reader]
        if isinstance(text, tuple):
            text = text[values.get("n") != 1]
        found.append({"reader": reader, "lang": HTML_LANG[reader], "text": text.format(**values)})
    return found


def say(key: str, reader: str, **values) -> str:
    """The words `key` for one reader."""
    return next(item["text"] for item in ui(key, **values) if item["reader"] == reader)


def name_in(code: str, reader: str) -> str:
    """The name of language `code` in the reader's language (the English name, or the code, for others)."""
    return NAMES[reader].get(code) or LANGUAGE_NAMES.get(code, code or "unknown")
