"""Interface strings of the participant packs, move handouts and paper-room sheets (en/zh/ru).

Added to :data:`detente.document.strings.CATALOG` on import, so these documents' strings live with
them and the shared catalog is not edited line by line by every area.
"""

from __future__ import annotations

from detente.document.strings import CATALOG

STRINGS: dict[str, dict[str, str]] = {
    "pack.ttx_intro": {
        "en": "It also holds the background and rules of play of the tabletop exercise and the "
        "options open to your delegation. Each move's situation and questions are handed out "
        "when the move opens.",
        "zh": "资料包还包括桌面推演的背景、推演规则以及贵代表团可选的行动。"
        "每一轮的情况通报和决策问题将在该轮开始时分发。",
        "ru": "В нём также изложены предыстория и правила штабной игры и действия, доступные "
        "вашей делегации. Вводная и вопросы каждого хода раздаются в начале хода.",
    },
    "pack.you_play_acc": {
        "en": "Your delegation plays {actor}.",
        "zh": "贵代表团扮演{actor}。",
        "ru": "Ваша делегация играет за {actor}.",
    },
    "pack.you_play_nom": {
        "en": "Your delegation plays: {actor}.",
        "zh": "贵代表团扮演：{actor}。",
        "ru": "Ваша роль в игре: {actor}.",
    },
    "pack.pre_released": {
        "en": "Released before the meeting",
        "zh": "会前发布的材料",
        "ru": "Материалы, выданные до встречи",
    },
    "pack.missing_translations": {
        "en": "{n} text(s) of this pack have no translation yet and are shown in English, "
        "marked {marker}.",
        "zh": "本资料包中有{n}处文字尚无中文译文，以英文显示，并标有{marker}。",
        "ru": "Для {n} фрагм. текста этого пакета ещё нет перевода: они приведены "
        "по-английски с пометкой {marker}.",
    },
    "doc.missing_translations": {
        "en": "{n} text(s) of this sheet have no translation yet and are shown in English, "
        "marked {marker}.",
        "zh": "本材料中有{n}处文字尚无中文译文，以英文显示，并标有{marker}。",
        "ru": "Для {n} фрагм. текста этого листа ещё нет перевода: они приведены "
        "по-английски с пометкой {marker}.",
    },
    "section.translations": {"en": "Translations", "zh": "译文说明", "ru": "О переводе"},
    # --- move handouts ---------------------------------------------------------------------------
    "handout.title": {
        "en": "Move handout",
        "zh": "推演轮次材料",
        "ru": "Раздаточный материал хода",
    },
    "handout.subtitle": {
        "en": "{delegation} · Move {n}: {title}",
        "zh": "{delegation} · 第{n}轮：{title}",
        "ru": "{delegation} · Ход {n}: {title}",
    },
    "handout.situation": {"en": "Situation", "zh": "情况通报", "ru": "Обстановка"},
    "handout.injects": {
        "en": "Messages received",
        "zh": "收到的信息",
        "ru": "Полученные сообщения",
    },
    "handout.from": {"en": "From", "zh": "来源", "ru": "От кого"},
    "handout.method": {"en": "By", "zh": "方式", "ru": "Способ"},
    "handout.options": {
        "en": "Options open to you in this move",
        "zh": "本轮可选的行动",
        "ru": "Действия, доступные в этом ходе",
    },
    "handout.options_note": {
        "en": "As the scenario stands at the start of the move; an option whose condition no "
        "longer holds is refused at adjudication.",
        "zh": "依本轮开始时的情景而定；条件不再满足的行动将在裁决时被驳回。",
        "ru": "По состоянию на начало хода; действие, условие которого перестало выполняться, "
        "будет отклонено при подведении итогов.",
    },
    "handout.decision": {"en": "Decision form", "zh": "决定表", "ru": "Бланк решения"},
    "handout.decision_note": {
        "en": "Tick up to {n} actions, write a short statement and answer the questions. The "
        "facilitator enters the form with its sheet code.",
        "zh": "请勾选最多{n}项行动，写一段简短声明并回答问题。主持人将凭表格编码录入。",
        "ru": "Отметьте не более {n} действий, напишите краткое заявление и ответьте на "
        "вопросы. Ведущий вносит бланк по его коду.",
    },
    "handout.statement": {"en": "Statement", "zh": "声明", "ru": "Заявление"},
    "handout.answer": {"en": "Answer", "zh": "回答", "ru": "Ответ"},
    "handout.tick": {"en": "Tick", "zh": "勾选", "ru": "Отметка"},
    "handout.public": {"en": "public", "zh": "公开", "ru": "открытое"},
    "handout.private": {"en": "private", "zh": "不公开", "ru": "закрытое"},
    "handout.visibility": {"en": "Visibility", "zh": "公开性", "ru": "Огласка"},
    "handout.none": {
        "en": "No option is open to your delegation at the start of this move.",
        "zh": "本轮开始时贵代表团没有可选的行动。",
        "ru": "В начале этого хода вашей делегации не доступно ни одно действие.",
    },
    # --- the paper room --------------------------------------------------------------------------
    "sheet.code": {"en": "Sheet code", "zh": "表格编码", "ru": "Код бланка"},
    "sheet.seat": {"en": "Seat", "zh": "席位", "ru": "Место"},
    "ballot.title": {"en": "Ballot", "zh": "投票表", "ru": "Бюллетень"},
    "ballot.note": {
        "en": "Tick one box per statement. Pass means no view or not your issue. Leave a "
        "statement blank to not vote on it.",
        "zh": "每项陈述勾选一格。“弃权”表示没有意见或与您无关。不勾选即不投票。",
        "ru": "Отметьте одну клетку для каждого утверждения. «Пропуск» — нет мнения или не "
        "ваш вопрос. Оставьте пустым, чтобы не голосовать.",
    },
    "ballot.statement": {"en": "Statement", "zh": "陈述", "ru": "Утверждение"},
    "ballot.agree": {"en": "Agree", "zh": "同意", "ru": "Согласен"},
    "ballot.disagree": {"en": "Disagree", "zh": "不同意", "ru": "Не согласен"},
    "ballot.pass": {"en": "Pass", "zh": "弃权", "ru": "Пропуск"},
    "rating.title": {"en": "Rating sheet", "zh": "评分表", "ru": "Оценочный лист"},
    "rating.note": {
        "en": "For each measure circle support (−2 strongly oppose … +2 strongly support), "
        "feasibility (1 not feasible … 5 readily feasible) and the horizon you think realistic "
        "(I immediate, Y within a year, 3 one to three years, L longer).",
        "zh": "请为每项措施圈出：支持度（−2 强烈反对 … +2 强烈支持）、可行性（1 不可行 … 5 "
        "完全可行）以及您认为现实的时间范围（I 立即，Y 一年内，3 一至三年，L 更长）。",
        "ru": "Для каждой меры обведите поддержку (−2 решительно против … +2 решительно за), "
        "осуществимость (1 неосуществимо … 5 вполне осуществимо) и реалистичный срок "
        "(I сразу, Y в течение года, 3 от одного до трёх лет, L дольше).",
    },
    "rating.measure": {"en": "Measure", "zh": "措施", "ru": "Мера"},
    "rating.support": {"en": "Support", "zh": "支持度", "ru": "Поддержка"},
    "rating.feasibility": {"en": "Feasibility", "zh": "可行性", "ru": "Осуществимость"},
    "rating.horizon": {"en": "Horizon", "zh": "时间范围", "ru": "Срок"},
    "measures.title": {"en": "List of measures", "zh": "措施清单", "ru": "Перечень мер"},
    "measures.who": {"en": "Who would act", "zh": "行动方", "ru": "Кто действует"},
    "paper.title": {"en": "Paper sheets", "zh": "纸质表格", "ru": "Бумажные бланки"},
}

CATALOG.update(STRINGS)
