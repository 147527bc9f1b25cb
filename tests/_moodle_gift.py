"""A Python port of the parts of Moodle's GIFT reader (question/format/gift/format.php, qformat_gift::readquestion
and its escapedchar_pre/escapedchar_post, commentparser, split_truefalse_comment, answerweightparser) that the
export uses: categories, names, multichoice with weights, true/false and matching. The tests read the exported files
with it, so an escaping mistake shows up as the text Moodle itself would import."""

from __future__ import annotations

import re

_ESCAPED = [("\\:", "&&058;"), ("\\#", "&&035;"), ("\\=", "&&061;"), ("\\{", "&&123;"), ("\\}", "&&125;"),
            ("\\~", "&&126;"), ("\\n", "&&010")]
_CHARS = {"&&058;": ":", "&&035;": "#", "&&061;": "=", "&&123;": "{", "&&125;": "}", "&&126;": "~", "&&010": "\n"}
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
_FORMATS = {"moodle", "html", "plain", "markdown"}
_IDNUMBER = re.compile(r"\[id:((?:\\\]|[^\]\[\x00-\x1f\x7f])+)\]")
# extract_idnumber_and_tags_from_comment(): every [tag:...] in the comments, '\]' standing for ']'.
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")


def escapedchar_pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in _ESCAPED:  # PHP's str_replace with arrays replaces pair by pair, in order
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def escapedchar_post(text: str) -> str:
    for placeholder, char in _CHARS.items():
        text = text.replace(placeholder, char)
    return text


def parse_text_with_format(text: str, default: str = "moodle") -> dict:
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        if text[1:end] in _FORMATS:
            fmt, text = text[1:end], text[end + 1:]
    return {"text": escapedchar_post(text).strip(), "format": fmt}


def _comment(answer: str, fmt: str) -> tuple[dict, dict]:
    bits = answer.split("#", 1)
    return (parse_text_with_format(bits[0].strip(), fmt),
            parse_text_with_format(bits[1].strip(), fmt) if len(bits) > 1 else {"text": "", "format": fmt})


def _weight(answer: str) -> tuple[float, str]:
    answer = answer[1:]
    end = answer.find("%")
    return float(answer[:end]) / 100, answer[end + 1:]


def readquestion(lines: list[str]) -> dict | None:
    comments = ""
    kept = []
    for line in lines:
        line = line.strip()
        if line.startswith("//"):
            comments += line + "\n"
            kept.append(" ")
        else:
            kept.append(line)
    text = "\n".join(kept).strip()
    if not text:
        return None
    text = escapedchar_pre(text)
    if text.startswith("$CATEGORY:"):
        return {"qtype": "category", "category": text[10:].strip()}
    q: dict = {"name": None}
    idnumber = _IDNUMBER.search(comments)
    q["idnumber"] = idnumber.group(1).replace("\\]", "]").strip() if idnumber else ""
    q["tags"] = [t.replace("\\]", "]").strip() for t in _TAG.findall(comments)]
    if text.startswith("::"):
        text = text[2:]
        end = text.find("::")
        q["name"] = escapedchar_post(text[:end])
        text = text[end + 2:].strip()
    start, finish = text.find("{"), text.find("}")
    assert start >= 0 and finish >= 0, f"no answer braces in {text[:80]!r}"
    answertext = text[start + 1:finish].strip()
    questiontext = text[:start] + text[finish + 1:] if text.endswith("}") else (
        text[:start] + "_____" + text[finish + 1:])
    generalfeedback = ""
    gf = answertext.rfind("####")
    if gf >= 0:
        generalfeedback, answertext = answertext[gf + 4:], answertext[:gf].strip()
    stem = parse_text_with_format(questiontext)
    q["questiontext"], q["format"] = stem["text"], stem["format"]
    q["generalfeedback"] = parse_text_with_format(generalfeedback, stem["format"])["text"]
    fmt = stem["format"]
    if "~" in answertext:
        q["qtype"] = "multichoice"
        q["single"] = "=" in answertext
        answers = answertext.replace("=", "~=").split("~")
        if not answers[0].strip():
            answers = answers[1:]
        q["answers"] = []
        for answer in answers:
            answer = answer.strip()
            if answer.startswith("="):
                weight, answer = 1.0, answer[1:]
            elif _WEIGHT.match(answer):
                weight, answer = _weight(answer)
            else:
                weight = 0.0
            text_, feedback = _comment(answer, fmt)
            q["answers"].append({"text": text_["text"], "fraction": weight, "feedback": feedback["text"],
                                 "format": text_["format"]})
    elif "=" in answertext and "->" in answertext:
        q["qtype"] = "match"
        answers = answertext.split("=")
        if not answers[0].strip():
            answers = answers[1:]
        q["subquestions"] = []
        for answer in answers:
            answer = answer.strip()
            marker = answer.find("->")
            q["subquestions"].append({"text": parse_text_with_format(answer[:marker], fmt)["text"],
                                      "answer": escapedchar_post(answer[marker + 2:]).strip()})
    else:
        check = answertext[:answertext.find("#")].strip() if answertext.find("#") > 0 else answertext
        assert check in ("T", "TRUE", "F", "FALSE"), f"neither true/false nor a type the export writes: {check!r}"
        q["qtype"] = "truefalse"
        bits = answertext.split("#", 2)
        answer = parse_text_with_format(bits[0].strip(), fmt)["text"]
        wrong = parse_text_with_format(bits[1].strip(), fmt)["text"] if len(bits) > 1 else ""
        right = parse_text_with_format(bits[2].strip(), fmt)["text"] if len(bits) > 2 else ""
        q["correctanswer"] = answer in ("T", "TRUE")
        q["feedbacktrue"], q["feedbackfalse"] = (right, wrong) if q["correctanswer"] else (wrong, right)
    return q


def readquestions(text: str) -> list[dict]:
    """Every question block of a GIFT file (blocks end at blank lines), as qformat_default::readquestions splits."""
    out, block = [], []
    for line in text.splitlines() + [""]:
        if line.strip() == "":
            if block:
                q = readquestion(block)
                if q is not None:
                    out.append(q)
                block = []
        else:
            block.append(line)
    return out


def repchar(text: str) -> str:
    """Moodle's GIFT writer's escaping (qformat_gift::repchar), for comparing the export field by field."""
    for char, escaped in [("\\", "\\\\"), ("#", "\\#"), ("=", "\\="), ("~", "\\~"), ("{", "\\{"), ("}", "\\}"),
                          (":", "\\:"), ("\n", "\\n"), ("\r", "")]:
        text = text.replace(char, escaped)
    return text
