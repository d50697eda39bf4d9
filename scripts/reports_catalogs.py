# ruff: noqa: E501  (translations are data: long lines keep each message on one line)
"""Write src/detente/locale/{zh_Hans,ru}/LC_MESSAGES/reports.po from the translations below.

The `.po` files are the source the documents read (compiled in memory by detente.catalogs); this
script is how they were first written (Babel fills each language's Plural-Forms from CLDR) and
can regenerate them after a message changes. Keys: msgid, or (context, msgid) for a counted
noun in a grammatical case; plural messages give (singular, plural) as msgid and a tuple of the
language's forms (Russian: one, few, many; Chinese: one form).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

LOCALE = Path(__file__).resolve().parents[1] / "src" / "detente" / "locale"


ENTRIES: list[
    tuple[str | None, str | tuple[str, str], str | tuple[str, ...], str | tuple[str, ...]]
] = [
    # (context, msgid, zh, ru)
    (
        None,
        (
            "The room found common ground on %(n)s statement put to it in the discussion sessions.",
            "The room found common ground on %(n)s statements put to it in the discussion sessions.",
        ),
        ("在讨论环节提交的陈述中，与会者在%(n)s项上找到了共同点。",),
        (
            "В ходе дискуссионных сессий участники нашли общую позицию по %(n)s утверждению.",
            "В ходе дискуссионных сессий участники нашли общую позицию по %(n)s утверждениям.",
            "В ходе дискуссионных сессий участники нашли общую позицию по %(n)s утверждениям.",
        ),
    ),
    (
        None,
        ("It was: %(quoted)s.", "Most strongly shared were: %(quoted)s."),
        ("共识最强的是：%(quoted)s。",),
        (
            "Наиболее широкую поддержку получили: %(quoted)s.",
            "Наиболее широкую поддержку получили: %(quoted)s.",
            "Наиболее широкую поддержку получили: %(quoted)s.",
        ),
    ),
    (
        None,
        (
            "%(n)s further statement had a majority in every delegation.",
            "%(n)s further statements had a majority in every delegation.",
        ),
        ("另有%(n)s项陈述在每个代表团中都获得多数支持。",),
        (
            "Ещё %(n)s утверждение получило большинство в каждой делегации.",
            "Ещё %(n)s утверждения получили большинство в каждой делегации.",
            "Ещё %(n)s утверждений получили большинство в каждой делегации.",
        ),
    ),
    (None, "Where the room agreed", "与会者的共识", "В чём участники согласились"),
    (
        None,
        (
            "Participants were divided on %(n)s statement, %(quoted)s.",
            "Participants were divided on %(n)s statements, for instance %(quoted)s.",
        ),
        ("与会者在%(n)s项陈述上存在分歧，例如%(quoted)s。",),
        (
            "Мнения участников разошлись по %(n)s утверждению: %(quoted)s.",
            "Мнения участников разошлись по %(n)s утверждениям, например: %(quoted)s.",
            "Мнения участников разошлись по %(n)s утверждениям, например: %(quoted)s.",
        ),
    ),
    (
        None,
        "On these at least one delegation did not agree with the rest of the room, so they are "
        "recorded as divergences to take up in further dialogue.",
        "在这些陈述上，至少有一个代表团与其他与会者意见不一，因此记录为分歧，留待今后对话继续讨论。",
        "По ним по меньшей мере одна делегация не согласилась с остальными участниками, поэтому они "
        "отмечены как расхождения, к которым следует вернуться в дальнейшем диалоге.",
    ),
    (
        None,
        (
            "On %(n)s statement every delegation but one agreed and the remaining one was undecided, "
            "%(quoted)s: common ground may be within reach there.",
            "On %(n)s statements every delegation but one agreed and the remaining one was undecided, "
            "for instance %(quoted)s: common ground may be within reach there.",
        ),
        (
            "在%(n)s项陈述上，除一个代表团尚未形成多数意见外，其余代表团均表示同意，例如%(quoted)s：在这些问题上有望达成共识。",
        ),
        (
            "По %(n)s утверждению согласились все делегации, кроме одной, которая не определилась: "
            "%(quoted)s; здесь общая позиция может быть достижима.",
            "По %(n)s утверждениям согласились все делегации, кроме одной, которая не определилась, "
            "например: %(quoted)s; здесь общая позиция может быть достижима.",
            "По %(n)s утверждениям согласились все делегации, кроме одной, которая не определилась, "
            "например: %(quoted)s; здесь общая позиция может быть достижима.",
        ),
    ),
    (
        None,
        (
            "On %(n)s other statement many participants had no view, which points to an information "
            "gap rather than a disagreement: it may be worth a briefing before it is put again, "
            "%(quoted)s.",
            "On %(n)s other statements many participants had no view, which points to an information "
            "gap rather than a disagreement: these may be worth a briefing before they are put "
            "again, for instance %(quoted)s.",
        ),
        (
            "另有%(n)s项陈述，许多与会者未表态，这表明存在信息缺口而非分歧：在再次提交之前，或许值得先作情况介绍，例如%(quoted)s。",
        ),
        (
            "По %(n)s другому утверждению многие участники не высказали мнения, что указывает скорее "
            "на недостаток информации, чем на разногласия: прежде чем выносить его снова, стоит "
            "провести брифинг. Это утверждение: %(quoted)s.",
            "По %(n)s другим утверждениям многие участники не высказали мнения, что указывает скорее "
            "на недостаток информации, чем на разногласия: прежде чем выносить их снова, стоит "
            "провести брифинг. Пример: %(quoted)s.",
            "По %(n)s другим утверждениям многие участники не высказали мнения, что указывает скорее "
            "на недостаток информации, чем на разногласия: прежде чем выносить их снова, стоит "
            "провести брифинг. Пример: %(quoted)s.",
        ),
    ),
    (None, "Where it divided, and why", "分歧所在及其原因", "Где мнения разошлись и почему"),
    (None, "move %(move)s", "第%(move)s轮", "ход %(move)s"),
    (
        None,
        "move %(move)s, when escalation peaked at %(now)s",
        "第%(move)s轮，升级程度达到峰值%(now)s",
        "ход %(move)s, когда эскалация достигла пика (%(now)s)",
    ),
    (
        None,
        "move %(move)s, when total escalation fell from %(before)s to %(now)s",
        "第%(move)s轮，总体升级程度从%(before)s降至%(now)s",
        "ход %(move)s, когда общий уровень эскалации снизился с %(before)s до %(now)s",
    ),
    (
        None,
        "move %(move)s, when total escalation rose from %(before)s to %(now)s",
        "第%(move)s轮，总体升级程度从%(before)s升至%(now)s",
        "ход %(move)s, когда общий уровень эскалации вырос с %(before)s до %(now)s",
    ),
    (
        None,
        (
            "The tabletop exercise ran for %(n)s move and ended early with %(outcome)s.",
            "The tabletop exercise ran for %(n)s moves and ended early with %(outcome)s.",
        ),
        ("桌面推演进行了%(n)s轮，因%(outcome)s而提前结束。",),
        (
            "Штабная игра продолжалась %(n)s ход и досрочно завершилась исходом %(outcome)s.",
            "Штабная игра продолжалась %(n)s хода и досрочно завершилась исходом %(outcome)s.",
            "Штабная игра продолжалась %(n)s ходов и досрочно завершилась исходом %(outcome)s.",
        ),
    ),
    (
        None,
        ("The tabletop exercise ran for %(n)s move.", "The tabletop exercise ran for %(n)s moves."),
        ("桌面推演共进行了%(n)s轮。",),
        (
            "Штабная игра продолжалась %(n)s ход.",
            "Штабная игра продолжалась %(n)s хода.",
            "Штабная игра продолжалась %(n)s ходов.",
        ),
    ),
    (
        None,
        "Along the way: %(outcomes)s.",
        "推演过程中出现了以下结果：%(outcomes)s。",
        "По ходу игры: %(outcomes)s.",
    ),
    (
        None,
        "The turning points came in %(points)s.",
        "转折点出现在%(points)s。",
        "Переломные моменты: %(points)s.",
    ),
    (
        None,
        "Escalation was still at its highest in the last move played (move %(move)s): the "
        "exercise did not find a way to stop it.",
        "在最后一轮（第%(move)s轮）中升级程度仍处于最高点：推演未能找到阻止升级的办法。",
        "В последнем сыгранном ходе (ход %(move)s) эскалация оставалась на максимуме: игра не "
        "нашла способа её остановить.",
    ),
    (
        None,
        "Escalation peaked in move %(peak)s and was lower by the end (move %(last)s): the moves "
        "after the peak show what stopped it.",
        "升级程度在第%(peak)s轮达到峰值，到最后（第%(last)s轮）有所下降：峰值之后的各轮显示了是什么遏制了升级。",
        "Эскалация достигла пика в ходе %(peak)s и к концу игры (ход %(last)s) снизилась: ходы "
        "после пика показывают, что её остановило.",
    ),
    (None, "What the exercise showed", "推演的启示", "Что показала игра"),
    (
        None,
        ("Participants rated %(n)s measure.", "Participants rated %(n)s measures."),
        ("与会者对%(n)s项措施进行了评分。",),
        (
            "Участники оценили %(n)s меру.",
            "Участники оценили %(n)s меры.",
            "Участники оценили %(n)s мер.",
        ),
    ),
    (
        None,
        "None had a majority in every delegation, so the roadmap is empty and every measure "
        "remains for further dialogue.",
        "没有一项措施在每个代表团中都获得多数支持，因此路线图为空，所有措施均留待今后对话讨论。",
        "Ни одна не получила большинства в каждой делегации, поэтому дорожная карта пуста и все "
        "меры остаются для дальнейшего диалога.",
    ),
    (None, "Measures with most support", "支持度最高的措施", "Меры с наибольшей поддержкой"),
    (
        None,
        "%(measure)s, with no clear simulated effect",
        "%(measure)s（模拟中无明显效果）",
        "%(measure)s (без явного эффекта в моделировании)",
    ),
    (
        None,
        "%(measure)s, which made %(outcome)s %(points)s points more likely in the simulated "
        "exercise",
        "%(measure)s：在模拟推演中使%(outcome)s的可能性提高了%(points)s个百分点",
        "%(measure)s: в смоделированной игре эта мера повысила вероятность исхода %(outcome)s на "
        "%(points)s п. п.",
    ),
    (
        None,
        "%(measure)s, which made %(outcome)s %(points)s points less likely in the simulated "
        "exercise",
        "%(measure)s：在模拟推演中使%(outcome)s的可能性降低了%(points)s个百分点",
        "%(measure)s: в смоделированной игре эта мера снизила вероятность исхода %(outcome)s на "
        "%(points)s п. п.",
    ),
    (
        None,
        (
            "%(n)s measure has the support of a majority in every delegation.",
            "%(n)s measures have the support of a majority in every delegation.",
        ),
        ("其中%(n)s项措施在每个代表团中都获得多数支持。",),
        (
            "%(n)s мера пользуется поддержкой большинства в каждой делегации.",
            "%(n)s меры пользуются поддержкой большинства в каждой делегации.",
            "%(n)s мер пользуются поддержкой большинства в каждой делегации.",
        ),
    ),
    (
        None,
        ("The roadmap they form has %(n)s phase;", "The roadmap they form has %(n)s phases;"),
        ("这些措施构成的路线图分为%(n)s个阶段；",),
        (
            "Составленная из них дорожная карта состоит из %(n)s этапа;",
            "Составленная из них дорожная карта состоит из %(n)s этапов;",
            "Составленная из них дорожная карта состоит из %(n)s этапов;",
        ),
    ),
    (
        None,
        (
            "%(n)s measure remains for further dialogue.",
            "%(n)s measures remain for further dialogue.",
        ),
        ("%(n)s项措施留待今后对话讨论。",),
        (
            "%(n)s мера остаётся для дальнейшего диалога.",
            "%(n)s меры остаются для дальнейшего диалога.",
            "%(n)s мер остаются для дальнейшего диалога.",
        ),
    ),
    (
        None,
        "The measures with most support were %(measures)s.",
        "支持度最高的措施是：%(measures)s。",
        "Наибольшую поддержку получили следующие меры: %(measures)s.",
    ),
    (
        None,
        "The measure with most support was %(measures)s.",
        "支持度最高的措施是%(measures)s。",
        "Наибольшую поддержку получила мера %(measures)s.",
    ),
    (None, "shared principles", "共同原则", "общие принципы"),
    (None, "phased roadmap", "分阶段路线图", "поэтапная дорожная карта"),
    (None, "what each country could do", "各国可采取的行动", "что могла бы сделать каждая страна"),
    (
        None,
        "areas of divergence for further dialogue",
        "有待进一步对话的分歧领域",
        "расхождения для дальнейшего диалога",
    ),
    (None, "insights from the tabletop exercise", "桌面推演的启示", "выводы штабной игры"),
    (None, "next steps", "后续步骤", "следующие шаги"),
    (None, "proposed next meeting", "下次会议建议", "предлагаемая следующая встреча"),
    (None, "%(part)s (%(count)s)", "%(part)s（%(count)s）", "%(part)s (%(count)s)"),
    (
        None,
        "The recommendations, accepted by the facilitator, cover %(parts)s.",
        "经主持人采纳的建议涵盖%(parts)s。",
        "Рекомендации, принятые ведущим, охватывают: %(parts)s.",
    ),
    (
        None,
        "The recommendations, drafted and not yet accepted, cover %(parts)s.",
        "已起草但尚未采纳的建议涵盖%(parts)s。",
        "Рекомендации (проект, ещё не принят) охватывают: %(parts)s.",
    ),
    (
        None,
        "Together with the roadmap they make up the Framework for Future Engagement set out at "
        "the end of this report.",
        "这些建议与路线图共同构成本报告末尾所列的“未来接触框架”。",
        "Вместе с дорожной картой они составляют Рамочную программу дальнейшего взаимодействия, "
        "изложенную в конце настоящего доклада.",
    ),
    (None, "Recommendations", "建议", "Рекомендации"),
    (
        None,
        "%(experts)s in %(delegations)s",
        "%(delegations)s的%(experts)s",
        "%(experts)s из %(delegations)s",
    ),
    (
        "accusative",
        ("%(n)s expert", "%(n)s experts"),
        ("%(n)s名专家",),
        ("%(n)s эксперта", "%(n)s экспертов", "%(n)s экспертов"),
    ),
    (
        "genitive",
        ("%(n)s delegation", "%(n)s delegations"),
        ("%(n)s个代表团",),
        ("%(n)s делегации", "%(n)s делегаций", "%(n)s делегаций"),
    ),
    (
        None,
        (
            "The %(meeting)s brought together %(experts)s (%(names)s) with %(n)s observer, in "
            "%(place)s, %(dates)s, convened by %(organiser)s.",
            "The %(meeting)s brought together %(experts)s (%(names)s) with %(n)s observers, in "
            "%(place)s, %(dates)s, convened by %(organiser)s.",
        ),
        (
            "“%(meeting)s”由%(organiser)s召集，于%(dates)s在%(place)s举行，汇集了%(experts)s（%(names)s），另有%(n)s名观察员。",
        ),
        (
            "Встреча «%(meeting)s», созванная организацией %(organiser)s (%(place)s, %(dates)s), "
            "собрала %(experts)s (%(names)s); присутствовал %(n)s наблюдатель.",
            "Встреча «%(meeting)s», созванная организацией %(organiser)s (%(place)s, %(dates)s), "
            "собрала %(experts)s (%(names)s); присутствовали %(n)s наблюдателя.",
            "Встреча «%(meeting)s», созванная организацией %(organiser)s (%(place)s, %(dates)s), "
            "собрала %(experts)s (%(names)s); присутствовали %(n)s наблюдателей.",
        ),
    ),
    (
        None,
        "The %(meeting)s brought together %(experts)s (%(names)s), in %(place)s, %(dates)s, "
        "convened by %(organiser)s.",
        "“%(meeting)s”由%(organiser)s召集，于%(dates)s在%(place)s举行，汇集了%(experts)s（%(names)s）。",
        "Встреча «%(meeting)s», созванная организацией %(organiser)s (%(place)s, %(dates)s), "
        "собрала %(experts)s (%(names)s).",
    ),
    (
        None,
        (
            "The programme's %(n)s session was held.",
            "All %(n)s sessions in the programme were held.",
        ),
        ("日程中的全部%(n)s场会议均已举行。",),
        (
            "Проведена %(n)s сессия программы — все запланированные.",
            "Проведены все %(n)s сессии программы.",
            "Проведены все %(n)s сессий программы.",
        ),
    ),
    (
        None,
        (
            "%(n)s of the %(total)s sessions in the programme was held.",
            "%(n)s of the %(total)s sessions in the programme were held.",
        ),
        ("日程中的%(total)s场会议已举行%(n)s场。",),
        (
            "Проведена %(n)s сессия из %(total)s запланированных.",
            "Проведены %(n)s сессии из %(total)s запланированных.",
            "Проведено %(n)s сессий из %(total)s запланированных.",
        ),
    ),
    (
        None,
        ("%(n)s of them produced a record.", "%(n)s of them produced a record."),
        ("其中%(n)s场留有记录。",),
        (
            "Запись есть по %(n)s из них.",
            "Запись есть по %(n)s из них.",
            "Запись есть по %(n)s из них.",
        ),
    ),
    (None, "common ground on %(n)s", "%(n)s项达成共识", "общая позиция — %(n)s"),
    (None, "divided on %(n)s", "%(n)s项存在分歧", "расхождения — %(n)s"),
    (
        None,
        "one delegation undecided on %(n)s",
        "%(n)s项有一个代表团未定",
        "одна делегация не определилась — %(n)s",
    ),
    (None, "many without a view on %(n)s", "%(n)s项许多人未表态", "многие без мнения — %(n)s"),
    (
        None,
        (
            "%(n)s statement put to the room: %(parts)s.",
            "%(n)s statements put to the room: %(parts)s.",
        ),
        ("共提交%(n)s项陈述：%(parts)s。",),
        (
            "На обсуждение вынесено %(n)s утверждение: %(parts)s.",
            "На обсуждение вынесено %(n)s утверждения: %(parts)s.",
            "На обсуждение вынесено %(n)s утверждений: %(parts)s.",
        ),
    ),
    (
        None,
        ("the tabletop exercise ran for %(n)s move.", "the tabletop exercise ran for %(n)s moves."),
        ("桌面推演共进行了%(n)s轮。",),
        (
            "штабная игра продолжалась %(n)s ход.",
            "штабная игра продолжалась %(n)s хода.",
            "штабная игра продолжалась %(n)s ходов.",
        ),
    ),
    (
        None,
        "%(outcome)s (move %(move)s)",
        "%(outcome)s（第%(move)s轮）",
        "%(outcome)s (ход %(move)s)",
    ),
    (
        None,
        (
            "the tabletop exercise ran for %(n)s move; outcomes: %(outcomes)s.",
            "the tabletop exercise ran for %(n)s moves; outcomes: %(outcomes)s.",
        ),
        ("桌面推演共进行了%(n)s轮；结果：%(outcomes)s。",),
        (
            "штабная игра продолжалась %(n)s ход; исходы: %(outcomes)s.",
            "штабная игра продолжалась %(n)s хода; исходы: %(outcomes)s.",
            "штабная игра продолжалась %(n)s ходов; исходы: %(outcomes)s.",
        ),
    ),
    (
        None,
        "the after-action review of the exercise: %(points)s and %(questions)s put to the room.",
        "推演复盘：向与会者提出了%(points)s和%(questions)s。",
        "разбор итогов игры: участникам представлены %(points)s и %(questions)s.",
    ),
    (
        "nominative",
        ("%(n)s turning point", "%(n)s turning points"),
        ("%(n)s个转折点",),
        ("%(n)s переломный момент", "%(n)s переломных момента", "%(n)s переломных моментов"),
    ),
    (
        "nominative",
        ("%(n)s hotwash question", "%(n)s hotwash questions"),
        ("%(n)s个复盘问题",),
        ("%(n)s вопрос для разбора", "%(n)s вопроса для разбора", "%(n)s вопросов для разбора"),
    ),
    (
        None,
        ("%(n)s intervention on %(topics)s", "%(n)s interventions on %(topics)s"),
        ("%(n)s次发言，主题为%(topics)s",),
        (
            "%(n)s выступление по темам: %(topics)s",
            "%(n)s выступления по темам: %(topics)s",
            "%(n)s выступлений по темам: %(topics)s",
        ),
    ),
    (None, "%(interventions)s.", "%(interventions)s。", "%(interventions)s."),
    (
        None,
        "%(interventions)s, then %(questions)s.",
        "%(interventions)s，随后进行了%(questions)s。",
        "%(interventions)s; затем — %(questions)s.",
    ),
    (
        "accusative",
        ("%(n)s question and answer", "%(n)s questions and answers"),
        ("%(n)s轮问答",),
        ("%(n)s вопрос и ответ", "%(n)s вопроса и ответа", "%(n)s вопросов и ответов"),
    ),
    (
        None,
        ("%(n)s participant rated %(measures)s.", "%(n)s participants rated %(measures)s."),
        ("%(n)s名与会者对%(measures)s进行了评分。",),
        (
            "%(n)s участник оценил %(measures)s.",
            "%(n)s участника оценили %(measures)s.",
            "%(n)s участников оценили %(measures)s.",
        ),
    ),
    (
        "accusative",
        ("%(n)s measure", "%(n)s measures"),
        ("%(n)s项措施",),
        ("%(n)s меру", "%(n)s меры", "%(n)s мер"),
    ),
    (
        None,
        (
            "%(n)s had a majority in every delegation (%(unanimous)s unanimously);",
            "%(n)s had a majority in every delegation (%(unanimous)s unanimously);",
        ),
        ("其中%(n)s项在每个代表团中都获得多数支持（%(unanimous)s项全体一致）；",),
        (
            "%(n)s из них получила большинство в каждой делегации (единогласно — %(unanimous)s);",
            "%(n)s из них получили большинство в каждой делегации (единогласно — %(unanimous)s);",
            "%(n)s из них получили большинство в каждой делегации (единогласно — %(unanimous)s);",
        ),
    ),
    (
        None,
        (
            "%(n)s of them is on the roadmap, in %(phases)s.",
            "%(n)s of them are on the roadmap, in %(phases)s.",
        ),
        ("其中%(n)s项列入路线图，分为%(phases)s。",),
        (
            "%(n)s из них включена в дорожную карту из %(phases)s.",
            "%(n)s из них включены в дорожную карту из %(phases)s.",
            "%(n)s из них включены в дорожную карту из %(phases)s.",
        ),
    ),
    (
        "genitive",
        ("%(n)s phase", "%(n)s phases"),
        ("%(n)s个阶段",),
        ("%(n)s этапа", "%(n)s этапов", "%(n)s этапов"),
    ),
    (
        None,
        (
            "%(n)s waits on a reciprocal or prerequisite measure not agreed.",
            "%(n)s wait on a reciprocal or prerequisite measure not agreed.",
        ),
        ("%(n)s项有待一项尚未商定的对等或前提措施。",),
        (
            "%(n)s мера ждёт взаимной или предварительной меры, по которой нет согласия.",
            "%(n)s меры ждут взаимной или предварительной меры, по которой нет согласия.",
            "%(n)s мер ждут взаимной или предварительной меры, по которой нет согласия.",
        ),
    ),
    (
        None,
        ("%(n)s measure is for further dialogue.", "%(n)s measures are for further dialogue."),
        ("%(n)s项措施留待今后对话讨论。",),
        (
            "%(n)s мера оставлена для дальнейшего диалога.",
            "%(n)s меры оставлены для дальнейшего диалога.",
            "%(n)s мер оставлены для дальнейшего диалога.",
        ),
    ),
    (
        "nominative",
        ("%(n)s claim", "%(n)s claims"),
        ("%(n)s条要点",),
        ("%(n)s положение", "%(n)s положения", "%(n)s положений"),
    ),
    (
        "genitive",
        ("%(n)s part", "%(n)s parts"),
        ("%(n)s个部分",),
        ("%(n)s части", "%(n)s частей", "%(n)s частей"),
    ),
    (
        None,
        "recommendations accepted: %(claims)s in %(parts)s.",
        "建议已采纳：%(parts)s共%(claims)s。",
        "рекомендации приняты: %(claims)s из %(parts)s.",
    ),
    (
        None,
        "recommendations drafted, not yet accepted: %(claims)s in %(parts)s.",
        "建议已起草但尚未采纳：%(parts)s共%(claims)s。",
        "рекомендации составлены, но ещё не приняты: %(claims)s из %(parts)s.",
    ),
    (
        None,
        "Edited or written by the facilitator: %(edited)s; struck: %(struck)s.",
        "经主持人修改或撰写：%(edited)s条；删除：%(struck)s条。",
        "Изменено или написано ведущим: %(edited)s; вычеркнуто: %(struck)s.",
    ),
    (None, "Session %(n)s: %(title)s", "第%(n)s场：%(title)s", "Сессия %(n)s: %(title)s"),
    (None, "not run: %(reason)s.", "未进行：%(reason)s。", "не проводилась: %(reason)s."),
    (None, "%(session)s — %(line)s", "%(session)s —— %(line)s", "%(session)s — %(line)s"),
    (None, "The sessions at a glance", "各场会议概览", "Сессии вкратце"),
    (None, "Executive summary", "内容摘要", "Краткое изложение"),
    # --- simulation notice and footer (detente.document.simulation) -----------------------------
    (
        None,
        (
            "Simulated record: the decisions, votes and ratings of the seat of %(names)s were "
            "produced by software from public sources.",
            "Simulated record: the decisions, votes and ratings of the seats of %(names)s were "
            "produced by software from public sources.",
        ),
        ("模拟记录：%(names)s席位的决定、投票和评分由软件根据公开资料生成。",),
        (
            "Смоделированная запись: решения, голоса и оценки делегации (%(names)s) сформированы "
            "программой на основе открытых источников.",
            "Смоделированная запись: решения, голоса и оценки делегаций (%(names)s) сформированы "
            "программой на основе открытых источников.",
            "Смоделированная запись: решения, голоса и оценки делегаций (%(names)s) сформированы "
            "программой на основе открытых источников.",
        ),
    ),
    (
        None,
        "Seed of the simulation: %(seed)s.",
        "模拟随机种子：%(seed)s。",
        "Начальное значение генератора: %(seed)s.",
    ),
    (
        None,
        "They are not statements or views of the participants named in this document.",
        "它们并非本文件所列与会者的表态或观点。",
        "Это не заявления и не мнения участников, названных в этом документе.",
    ),
    (
        None,
        "SIMULATION — not the participants' views",
        "模拟 —— 并非与会者的观点",
        "МОДЕЛИРОВАНИЕ — это не мнения участников",
    ),
]


def main() -> None:
    for column, (folder, locale) in enumerate((("zh_Hans", "zh_Hans"), ("ru", "ru"))):
        catalog = Catalog(locale=locale, project="detente", version="0.1", domain="reports")
        for context, msgid, *texts in ENTRIES:
            catalog.add(msgid, texts[column], context=context, flags=["python-format"])
        path = LOCALE / folder / "LC_MESSAGES" / "reports.po"
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, omit_header=False, sort_output=False)
        print(f"wrote {path} ({len(catalog)} messages)")


if __name__ == "__main__":
    main()
