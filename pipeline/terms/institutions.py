"""Institutions and titles a translation names without its source: "State Council" from a Chinese headline
that has no 国务院, "the Ministry of Finance" from a French sentence with no ministère.

A name of the English text (`names.names_in`) is checked word by word against a small bilingual list of
the words institutions and titles are made of (Council: conseil, 会, 院; Mayor: maire, 市长). A listed
word of the name whose counterpart occurs nowhere in the source, in French, in Chinese or as the English
word itself, makes the name unsupported. Words a translation adds without naming anyone (Province after
湖北, City after 上海) are not listed; names written in the source as they are pass. No model, any backend.
"""
from __future__ import annotations

from pipeline.terms.matching import find_term
from pipeline.terms.names import names_in

FLAG = "unsupported-name"

# English word: (French words, Chinese characters), any one of which in the source backs the word.
COUNTERPARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "council": (("conseil",), ("会", "院", "理事")),
    "ministry": (("ministère",), ("部", "省")),  # 经济产业省: a Japanese ministry
    "minister": (("ministre",), ("部长", "大臣", "总理", "首相", "相")),
    "commission": (("commission",), ("委",)),
    "committee": (("comité", "commission"), ("委", "中央", "中全会")),
    "commissioner": (("commissaire",), ("专员", "委员", "署长")),
    "bureau": (("bureau", "office"), ("局", "署", "办")),
    "department": (("département", "ministère", "service", "direction"), ("部", "厅", "局", "系", "处", "司")),
    "office": (("bureau", "office", "cabinet", "direction", "poste"), ("办", "署", "局", "室", "处", "厅", "社")),
    "court": (("cour", "tribunal"), ("法院", "法庭", "庭")),
    "congress": (("congrès", "assemblée"), ("会", "十大", "九大", "人大")),  # 党的二十大; Assemblée populaire
    "parliament": (("parlement",), ("议会", "国会")),
    "senate": (("sénat",), ("参议", "参院")),
    "assembly": (("assemblée",), ("大会", "议会")),
    "party": (("parti",), ("党", "中共", "省委", "市委", "县委")),
    "government": (("gouvernement", "exécutif"), ("政府",)),
    "agency": (("agence", "office"), ("署", "局", "机构", "社")),  # 新华社
    "administration": (("administration",), ("局", "署", "政府", "管理")),
    "authority": (("autorité",), ("局", "当局", "管理")),
    "academy": (("académie",), ("院",)),
    "institute": (("institut",), ("所", "院")),
    "university": (("université", "universitaire"), ("大学",)),
    "bank": (("banque",), ("银行", "行")),
    "association": (("association",), ("协会", "会")),
    "federation": (("fédération",), ("联合会", "联盟", "协会", "联")),
    "army": (("armée",), ("军",)),
    "navy": (("marine",), ("海军",)),
    "police": (("police", "gendarmerie"), ("警",)),
    "mayor": (("maire",), ("市长",)),
    "governor": (("gouverneur",), ("省长", "州长", "总督")),
    "president": (("président",), ("主席", "总统", "院长", "校长", "会长", "行长", "总裁")),
    "premier": (("premier ministre",), ("总理",)),
    "chairman": (("président",), ("主席", "董事长", "主任")),
    "secretary": (("secrétaire", "ministre"), ("书记", "秘书", "部长", "国务卿")),
    "state": (("état", "etat"), ("国", "州", "邦")),
    "republic": (("république",), ("国",)),
    "kingdom": (("royaume",), ("国",)),
    "federal": (("fédéral", "fédérale"), ("联邦",)),
    "national": (("national", "nationale", "nation"), ("国", "全民", "十大", "九大", "人大")),
    "central": (("central", "centrale"), ("中",)),
    "supreme": (("suprême",), ("最高",)),
    "king": (("roi",), ("王",)),
    "queen": (("reine",), ("女王", "王后")),
    "pope": (("pape",), ("教皇", "教宗")),
    "emperor": (("empereur",), ("皇", "帝")),
}


def _singular(word: str) -> str:
    lower = word.casefold()
    for plural, singular in (("ies", "y"), ("s", "")):
        if lower.endswith(plural) and lower[:-len(plural)] + singular in COUNTERPARTS:
            return lower[:-len(plural)] + singular
    return lower


def unbacked_words(name: str, source: str) -> list[str]:
    """The listed words of `name` (see the module) whose counterpart `source` has in no language."""
    missing = []
    for word in name.replace("-", " ").split():
        key = _singular(word.strip("'\u2019"))
        if key not in COUNTERPARTS:
            continue
        french, chinese = COUNTERPARTS[key]
        backed = (any(form in source for form in chinese) or find_term(source, key)
                  or any(find_term(source, form) for form in french))
        if not backed:
            missing.append(word)
    return missing


def unsupported_names(english: str, source: str) -> list[str]:
    """Names of the English text that call an institution or title by words the source does not have."""
    return [name for name in names_in(english, "en")
            if not find_term(source, name) and unbacked_words(name, source)]


def name_flags(names: list[str]) -> list[str]:
    """The flag text of each unsupported name: `unsupported-name: State Council of Hubei Province`."""
    return [f"{FLAG}: {name}" for name in names]
