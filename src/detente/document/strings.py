"""Interface strings of the documents in English, Chinese and Russian, with English fallback.

A deliberately small catalog (the participant pack is the only document handed out in several
languages). A language or a key the catalog lacks falls back to English and the fallback is
recorded as a warning, so a pack is never blank and the organiser learns what to translate.
The web app's interface uses Babel message catalogs (its own issue); these strings are the
documents', and stay here.
"""

from __future__ import annotations

import datetime as dt

LANGUAGES = ("en", "zh", "ru")

CATALOG: dict[str, dict[str, str]] = {
    "pack.title": {"en": "Participant pack", "zh": "与会者资料包", "ru": "Пакет участника"},
    "pack.for_delegation": {
        "en": "Delegation: {name}",
        "zh": "代表团：{name}",
        "ru": "Делегация: {name}",
    },
    "pack.for_observers": {
        "en": "Observers",
        "zh": "观察员",
        "ru": "Наблюдатели",
    },
    "marking.personal": {
        "en": "Personal — contains join codes; do not share",
        "zh": "个人资料 — 含入会码，请勿外传",
        "ru": "Лично — содержит коды входа; не передавать",
    },
    "cover.organizer": {"en": "Organiser", "zh": "主办方", "ru": "Организатор"},
    "cover.venue": {"en": "Venue", "zh": "地点", "ru": "Место"},
    "cover.dates": {"en": "Dates", "zh": "日期", "ru": "Даты"},
    "cover.times": {
        "en": "Times are local ({zone})",
        "zh": "时间均为当地时间（{zone}）",
        "ru": "Время местное ({zone})",
    },
    "section.welcome": {"en": "Welcome", "zh": "欢迎辞", "ru": "Добро пожаловать"},
    "welcome.text": {
        "en": "Welcome to the {title}, organised by {organizer} in {location}, {dates}. "
        "This pack holds the programme, the list of participants, the objectives of the "
        "meeting and your personal code for the meeting app.",
        "zh": "欢迎参加由{organizer}在{location}举办的“{title}”（{dates}）。"
        "本资料包包括会议日程、与会者名单、会议目标以及您登录会议应用的个人入会码。",
        "ru": "Добро пожаловать на встречу «{title}», которую проводит {organizer} "
        "(место: {location}; {dates}). В этом пакете — программа, список участников, "
        "цели встречи и ваш личный код для входа в приложение встречи.",
    },
    "welcome.ttx": {
        "en": "It also holds the background and rules of play of the tabletop exercise, with "
        "the situation brief and the decision questions of every move.",
        "zh": "资料包还包括桌面推演的背景和规则，以及每一轮推演的情况通报和决策问题。",
        "ru": "В нём также изложены предыстория и правила штабной игры, а также вводная "
        "обстановка и вопросы для решения на каждом ходе.",
    },
    "section.background": {"en": "Background", "zh": "背景", "ru": "Предыстория"},
    "section.logistics": {"en": "Logistics", "zh": "会务安排", "ru": "Организационные вопросы"},
    "section.programme": {"en": "Programme", "zh": "会议日程", "ru": "Программа"},
    "section.participants": {"en": "Participants", "zh": "与会者", "ru": "Участники"},
    "participants.as_of": {
        "en": "List of participants confirmed as of {date}.",
        "zh": "截至{date}确认的与会者名单。",
        "ru": "Список участников, подтверждённый на {date}.",
    },
    "section.objectives": {"en": "Objectives", "zh": "会议目标", "ru": "Цели встречи"},
    "section.ttx_background": {
        "en": "Tabletop exercise: background",
        "zh": "桌面推演：背景",
        "ru": "Штабная игра: предыстория",
    },
    "ttx.baseline": {
        "en": "The scenario is set as of {date}. It is hypothetical.",
        "zh": "情景设定以{date}为基准，属于假设情景。",
        "ru": "Сценарий исходит из положения на {date}. Он гипотетический.",
    },
    "ttx.you_play": {
        "en": "Your delegation plays: {actor}.",
        "zh": "贵代表团扮演：{actor}。",
        "ru": "Ваша делегация играет за: {actor}.",
    },
    "ttx.players": {
        "en": "Players: {actors}.",
        "zh": "参演方：{actors}。",
        "ru": "Игроки: {actors}.",
    },
    "ttx.controls": {
        "en": "Played by the facilitation team: {actors}.",
        "zh": "由主持团队扮演：{actors}。",
        "ru": "За них играет команда ведущих: {actors}.",
    },
    "ttx.simulated": {
        "en": "Also in the scenario, moved by its rules rather than by a delegation: {actors}.",
        "zh": "情景中还有以下行为体，其行动由情景规则决定，不由任何代表团扮演：{actors}。",
        "ru": "Также в сценарии, их ходы определяют правила сценария, а не делегации: {actors}.",
    },
    "section.rules": {"en": "Rules of play", "zh": "推演规则", "ru": "Правила игры"},
    "rules.actions": {
        "en": "In each move your delegation submits one decision: up to {n} actions and a short "
        "statement.",
        "zh": "每一轮，贵代表团提交一项决定：最多{n}项行动及一段简短声明。",
        "ru": "На каждом ходе ваша делегация принимает одно решение: не более {n} действий "
        "и короткое заявление.",
    },
    "section.moves": {"en": "Moves", "zh": "推演各轮", "ru": "Ходы игры"},
    "move.heading": {"en": "Move {n}: {title}", "zh": "第{n}轮：{title}", "ru": "Ход {n}: {title}"},
    "move.meta": {
        "en": "Scenario time: {time} · {minutes} minutes",
        "zh": "情景时间：{time} · {minutes}分钟",
        "ru": "Время сценария: {time} · {minutes} мин.",
    },
    "move.questions": {
        "en": "Questions for your delegation",
        "zh": "贵代表团需回答的问题",
        "ru": "Вопросы для вашей делегации",
    },
    "section.options": {
        "en": "Options open to your delegation",
        "zh": "贵代表团可选的行动",
        "ru": "Действия, доступные вашей делегации",
    },
    "options.private": {
        "en": "private: not announced to the other delegations",
        "zh": "不公开：不通报其他代表团",
        "ru": "закрытое: другим делегациям не сообщается",
    },
    "section.join": {
        "en": "Joining the meeting app",
        "zh": "登录会议应用",
        "ru": "Вход в приложение встречи",
    },
    "join.text": {
        "en": "On the venue network, open the link or scan the QR code with your phone. The code "
        "is personal: do not share it. If it is lost, the facilitator can issue a new one.",
        "zh": "请在会场网络中打开链接或用手机扫描二维码。入会码仅限本人使用，请勿外传；"
        "如遗失，可请主持人重新发放。",
        "ru": "В сети площадки откройте ссылку или отсканируйте QR-код телефоном. Код личный: "
        "не передавайте его. Если код утерян, ведущий выдаст новый.",
    },
    "join.person": {"en": "Participant", "zh": "与会者", "ru": "Участник"},
    "join.code": {"en": "Join code", "zh": "入会码", "ru": "Код входа"},
    "join.link": {"en": "Link", "zh": "链接", "ru": "Ссылка"},
    "join.qr": {
        "en": "QR code of the join link for {name}",
        "zh": "{name}的入会链接二维码",
        "ru": "QR-код ссылки для входа: {name}",
    },
    "col.time": {"en": "Time", "zh": "时间", "ru": "Время"},
    "col.item": {"en": "Item", "zh": "议程", "ru": "Пункт"},
    "col.name": {"en": "Name", "zh": "姓名", "ru": "Имя"},
    "col.position": {"en": "Position", "zh": "职务", "ru": "Должность"},
    "col.affiliation": {"en": "Affiliation", "zh": "单位", "ru": "Организация"},
    "col.action": {"en": "Action", "zh": "行动", "ru": "Действие"},
    "col.description": {"en": "Description", "zh": "说明", "ru": "Описание"},
    "observers": {"en": "Observers", "zh": "观察员", "ru": "Наблюдатели"},
    "facilitation": {"en": "Facilitation", "zh": "会议主持", "ru": "Ведущие"},
    "session": {
        "en": "Session {n}: {title}",
        "zh": "第{n}场：{title}",
        "ru": "Сессия {n}: {title}",
    },
}

_MONTHS_RU = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


class Strings:
    """Look up interface strings for one language, recording every fallback to English."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.fallbacks: set[str] = set()

    def __call__(self, key: str, **values: object) -> str:
        entry = CATALOG[key]
        text = entry.get(self.language)
        if text is None:
            text = entry["en"]
            if self.language != "en":
                self.fallbacks.add(key)
        for name, value in values.items():
            # a value ending in a full stop ("2024 г.") takes the sentence's own stop
            if isinstance(value, str) and value.endswith("."):
                text = text.replace("{" + name + "}.", "{" + name + "}")
        return text.format(**values) if values else text

    def warnings(self) -> list[str]:
        """What fell back, as messages for the command to print."""
        if not self.fallbacks:
            return []
        if self.language not in LANGUAGES:
            return [
                f"no interface translation for language '{self.language}' "
                f"(have {', '.join(LANGUAGES)}): English used"
            ]
        keys = ", ".join(sorted(self.fallbacks))
        return [f"interface strings missing in '{self.language}' (English used): {keys}"]

    def date(self, day: dt.date) -> str:
        """A date written the way the language writes it."""
        if self.language == "zh":
            return f"{day.year}年{day.month}月{day.day}日"
        if self.language == "ru":
            return f"{day.day} {_MONTHS_RU[day.month - 1]} {day.year} г."
        return f"{day.day} {day:%B %Y}"

    def dates(self, start: dt.date, end: dt.date) -> str:
        """A date range: `24–26 August 2024`, `2024年8月24日至26日`, `24–26 августа 2024 г.`."""
        if start == end:
            return self.date(start)
        if self.language == "zh":
            if (start.year, start.month) == (end.year, end.month):
                return f"{self.date(start)}至{end.day}日"
            return f"{self.date(start)}至{self.date(end)}"
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{self.date(end)}"
        return f"{self.date(start)} – {self.date(end)}"
