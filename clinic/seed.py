"""The demo clinic, with dates relative to now (so the demo is never stale): today is in week 5."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clinic.config import Settings
from clinic.database import Database, Writer
from clinic.repository import accounts as accounts_repo
from clinic.repository import care, changes
from clinic.repository import checkins as checkins_repo
from clinic.repository import escalations as escalations_repo
from clinic.repository import flags as flags_repo
from clinic.schemas import QuestionnaireChoice, QuestionnaireData, QuestionnaireItem
from clinic.security import Passwords
from clinic.services import admin, checkins, pattern, schedule

# Demo sign-ins (public demo data): alex / waypoint-demo, morgan / waypoint-demo-2,
# staff / waypoint-staff.
CLINIC_NAME = "Baystate Recovery"
TIMEZONE = "America/New_York"

TRIGGER_LOG = """Each time you notice an urge to use this week, write down:

1. **When and where** it happened
2. **What triggered it** (a person, place, feeling, time of day)
3. **How strong** the urge was, from 0 to 10
4. **What you did** instead — and how it went

Bring the log to group on Thursday. There are no wrong answers.
"""

LETTER = """Write a letter to yourself six months from now.

- What do you want *future you* to remember about why you started?
- Which warning signs should they watch for?
- Who can they call?

One page is plenty. You will read it in individual counselling.
"""


@dataclass(frozen=True, slots=True)
class Demo:
    clinic_id: str
    staff_id: str
    patient_id: str
    second_patient_id: str


def find(db: Database) -> Demo | None:
    with db.read() as conn:
        clinic = accounts_repo.clinic_by_name(conn, CLINIC_NAME)
        staff = accounts_repo.account_by_username(conn, "staff")
        alex = accounts_repo.account_by_username(conn, "alex")
        morgan = accounts_repo.account_by_username(conn, "morgan")
    if clinic is None or staff is None or alex is None or morgan is None:
        return None
    return Demo(clinic.id, staff.id, alex.id, morgan.id)


# Short enough to watch in a demo: an alert nobody acknowledges reaches the on-call counsellor
# after a minute and the supervisor after three (a real clinic: 5 and 15, services/escalation.py).
DEMO_ESCALATION = {
    "alert_steps": [
        {"after_seconds": 60, "to": "On-call counsellor"},
        {"after_seconds": 180, "to": "Clinical supervisor"},
    ],
    "flag": {"to": "Counsellor's supervisor", "next_morning": "08:00"},
    "webhook_url": None,
    "webhook_secret": None,
    "console_url": None,
}


# The programme's worksheets staff hand out most, as templates the console pre-fills from.
DEMO_TEMPLATES = [
    {
        "id": "trigger-log",
        "title": "Trigger log",
        "modality": "Cognitive behavioural therapy",
        "instructions": (
            "Each time you notice a craving this week, write down:\n\n"
            "- **When and where** it happened\n- **What set it off** (a person, place, feeling, time)\n"
            "- **How strong** it was, 0 to 10\n- **What you did** and how it turned out\n\n"
            "Bring it to group: we will look for patterns together."
        ),
    },
    {
        "id": "decisional-balance",
        "title": "Decisional balance",
        "modality": "Motivational interviewing",
        "instructions": (
            "Draw four boxes and fill each honestly:\n\n"
            "1. The good things about using\n2. The not-so-good things about using\n"
            "3. The good things about staying sober\n4. The not-so-good things about staying sober\n\n"
            "Circle the two that matter most to you right now."
        ),
    },
    {
        "id": "relapse-prevention-plan",
        "title": "Relapse-prevention plan",
        "modality": "Relapse prevention",
        "instructions": (
            "Write your plan for a high-risk moment:\n\n"
            "- **My warning signs** (thoughts, feelings, behaviour)\n"
            "- **My high-risk situations** and how I will avoid or handle each\n"
            "- **Who I will call**, with their numbers\n- **What I will do instead** for the next hour"
        ),
    },
    {
        "id": "gratitude-list",
        "title": "Gratitude list",
        "modality": "Wellbeing",
        "instructions": (
            "Every evening this week, write down **three things** you are grateful for today, "
            "however small, and one sentence on why each mattered."
        ),
    },
]


def seed_demo(db: Database, settings: Settings, passwords: Passwords) -> Demo:
    """Create the demo clinic unless it is there already (idempotent)."""
    existing = find(db)
    if existing is not None:
        return existing
    now = settings.clock()
    tz = ZoneInfo(TIMEZONE)
    today = now.astimezone(tz).date()
    this_monday = pattern.monday_of(today)
    with db.write() as w:
        clinic_id = admin.create_clinic(w, CLINIC_NAME, TIMEZONE, "+1-413-555-0100", 30, now)
        escalations_repo.set_policy(w, clinic_id, DEMO_ESCALATION)
        accounts_repo.set_assignment_templates(w, clinic_id, DEMO_TEMPLATES)
        staff_id = admin.create_staff(w, passwords, clinic_id, "staff", "waypoint-staff", "Sam Ortiz", now)
        for questionnaire in (DAILY, PHQ2, GAD2):  # before the patients: each is asked to answer them
            checkins.create_questionnaire(w, clinic_id, questionnaire, now)
        alex = _patient(
            w,
            passwords,
            clinic_id,
            now,
            tz,
            "Alex Rivera",
            "alex",
            "waypoint-demo",
            this_monday - timedelta(weeks=4),
        )
        _alex_extras(w, clinic_id, alex, now, tz, this_monday, staff_id)
        assigned = {r.key: r.id for r in checkins_repo.patient_assignments(w.conn, alex)}
        _alex_checkins(w, clinic_id, alex, assigned, now, tz, staff_id)
        morgan = _patient(
            w,
            passwords,
            clinic_id,
            now,
            tz,
            "Morgan Blake",
            "morgan",
            "waypoint-demo-2",
            this_monday - timedelta(weeks=1),
        )
        schedule.add_assignment(
            w,
            clinic_id,
            morgan,
            {
                "title": "Decisional balance",
                "modality": "Motivational enhancement",
                "instructions": "List the **pros and cons** of changing and of not changing.",
                "due_at": datetime.combine(today + timedelta(days=3), time(17), tzinfo=tz),
            },
            now,
            staff_id,
        )
    return Demo(clinic_id, staff_id, alex, morgan)


def _patient(
    w: Writer,
    passwords: Passwords,
    clinic_id: str,
    now: datetime,
    tz: ZoneInfo,
    name: str,
    username: str,
    password: str,
    start: date,
) -> str:
    body: dict[str, Any] = {
        "display_name": name,
        "username": username,
        "password": password,
        "counselor_name": "Jordan Lee",
        "counselor_phone": "+1-413-555-0142",
        "program_name": "Intensive Outpatient Program",
        "start_date": start,
        "planned_weeks": 12,
        "days_per_week": 3,
    }
    if username == "alex":
        body["coping_plan"] = {
            "warning_signs": ["Skipping meals and sleep", "Driving past my old bar after work"],
            "people_to_ask": ["My sister Dana"],
            "reasons": ["Being there for my daughter"],
        }
    patient_id = admin.create_patient(w, passwords, clinic_id, body, now)
    for s in pattern.expand(start, 12, tz):
        schedule.add_item(w, clinic_id, patient_id, s.item_values(), now, None)
    return patient_id


def _alex_extras(
    w: Writer, clinic_id: str, alex: str, now: datetime, tz: ZoneInfo, monday: date, staff_id: str
) -> None:
    week = [monday, monday + timedelta(days=2), monday + timedelta(days=3)]  # Mon, Wed, Thu
    slots = [(pattern.local(d, time(8, 40), tz), pattern.local(d, time(8, 55), tz)) for d in week]
    past = [s for s in slots if s[1] < now]
    future = [s for s in slots if s[0] > now]
    past_test = past[-1] if past else (now - timedelta(hours=2), now - timedelta(hours=1, minutes=45))
    next_monday = monday + timedelta(days=7)
    future_test = (
        future[0]
        if future
        else (pattern.local(next_monday, time(8, 40), tz), pattern.local(next_monday, time(8, 55), tz))
    )
    for starts, ends in (past_test, future_test):
        schedule.add_item(
            w,
            clinic_id,
            alex,
            {
                "kind": "drug_test",
                "title": "Drug and alcohol screen",
                "starts_at": starts,
                "ends_at": ends,
                "location": "Lab",
                "family_visible": False,
            },
            now,
            staff_id,
        )
    items = care.patient_schedule(
        w.conn, alex, pattern.local(monday, time(0), tz), pattern.local(next_monday, time(0), tz)
    )
    wednesday_class = next(
        i for i in items if i.kind == "education_class" and i.starts_at.astimezone(tz).date() == week[1]
    )
    thursday_group = next(
        i for i in items if i.kind == "process_group" and i.starts_at.astimezone(tz).date() == week[2]
    )
    schedule.change_item(
        w, wednesday_class, clinic_id, {"status": "cancelled", "note": "Instructor out sick"}, now, staff_id
    )
    schedule.change_item(
        w,
        thursday_group,
        clinic_id,
        {
            "starts_at": pattern.local(week[2], time(14, 0), tz),
            "ends_at": pattern.local(week[2], time(15, 15), tz),
            "note": "Moved to the afternoon this week",
        },
        now,
        staff_id,
    )
    today = now.astimezone(tz).date()
    schedule.add_assignment(
        w,
        clinic_id,
        alex,
        {
            "title": "Trigger log",
            "modality": "Cognitive behavioural therapy",
            "instructions": TRIGGER_LOG,
            "due_at": pattern.local(today + timedelta(days=2), time(17), tz),
        },
        now,
        staff_id,
    )
    schedule.add_assignment(
        w,
        clinic_id,
        alex,
        {
            "title": "Letter to future me",
            "modality": "Relapse prevention",
            "instructions": LETTER,
            "due_at": pattern.local(next_monday + timedelta(days=3), time(9), tz),
        },
        now,
        staff_id,
    )


# -- check-ins: the daily check-in, PHQ-2 and GAD-2 (clinic data), and four weeks of Alex's ---------

LANGS = ("en", "es", "pt_BR")


def _t(en: str, es: str, pt_br: str) -> dict[str, str]:
    return dict(zip(LANGS, (en, es, pt_br), strict=True))


def _item(item_id: str, kind: Any, text: dict[str, str], **kw: Any) -> QuestionnaireItem:
    values: dict[str, Any] = {
        "min": None,
        "max": None,
        "low_label": None,
        "high_label": None,
        "choices": [],
        "required": True,
        "flag_at": None,
    }
    return QuestionnaireItem(id=item_id, kind=kind, text=text, **{**values, **kw})


def _scale(
    item_id: str, text: dict[str, str], low: dict[str, str], high: dict[str, str], **kw: Any
) -> QuestionnaireItem:
    return _item(item_id, "scale", text, min=0, max=10, low_label=low, high_label=high, **kw)


DAILY = QuestionnaireData(
    key="daily",
    title=_t("Daily check-in", "Registro diario", "Check-in diário"),
    attribution=None,
    cadence="daily",
    due_weekdays=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    items=[
        _scale(
            "craving",
            _t(
                "How strong is your craving right now?",
                "¿Qué tan fuerte es tu deseo de consumir en este momento?",
                "Quão forte está a sua vontade de usar agora?",
            ),
            _t("No craving", "Ningún deseo", "Nenhuma vontade"),
            _t("Strongest ever", "El más fuerte", "A mais forte"),
            flag_at=8,
        ),
        _scale(
            "mood",
            _t("How is your mood today?", "¿Cómo está tu ánimo hoy?", "Como está o seu humor hoje?"),
            _t("Very low", "Muy bajo", "Muito baixo"),
            _t("Very good", "Muy bueno", "Muito bom"),
        ),
        _scale(
            "confidence",
            _t(
                "How confident do you feel about staying sober today?",
                "¿Cuánta confianza sientes de mantenerte sin consumir hoy?",
                "Quanta confiança você sente de ficar sem usar hoje?",
            ),
            _t("Not confident", "Nada de confianza", "Nenhuma confiança"),
            _t("Very confident", "Mucha confianza", "Muita confiança"),
        ),
        _item(
            "used",
            "yes_no",
            _t(
                "Have you used alcohol or drugs since your last check-in?",
                "¿Has consumido alcohol o drogas desde tu último registro?",
                "Você usou álcool ou drogas desde o seu último check-in?",
            ),
            flag_at=1,
        ),
        _item(
            "contact",
            "yes_no",
            _t(
                "Would you like someone from your care team to contact you today?",
                "¿Te gustaría que alguien de tu equipo de atención se comunique contigo hoy?",
                "Você gostaria que alguém da sua equipe de cuidado entrasse em contato com você hoje?",
            ),
            flag_at=1,
        ),
        _item(
            "note",
            "text",
            _t(
                "Anything else you would like to share?",
                "¿Algo más que quieras compartir?",
                "Algo mais que você queira compartilhar?",
            ),
            required=False,
        ),
    ],
    flag_total_at=None,
)

# PHQ-2 and GAD-2: the published items, answer choices and attribution (free to use); Spanish and
# Brazilian Portuguese from the published PHQ-9 and GAD-7 translations.
ATTRIBUTION = (
    "PHQ-2 and GAD-2: developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and "
    "colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, "
    "translate, display or distribute."
)
PHQ_CHOICES = [
    QuestionnaireChoice(value=0, text=_t("Not at all", "Ningún día", "Nenhuma vez")),
    QuestionnaireChoice(value=1, text=_t("Several days", "Varios días", "Vários dias")),
    QuestionnaireChoice(
        value=2, text=_t("More than half the days", "Más de la mitad de los días", "Mais da metade dos dias")
    ),
    QuestionnaireChoice(value=3, text=_t("Nearly every day", "Casi todos los días", "Quase todos os dias")),
]
GAD_CHOICES = [PHQ_CHOICES[0].model_copy(update={"text": _t("Not at all", "Nunca", "Nenhuma vez")})]
GAD_CHOICES += PHQ_CHOICES[1:]


def _choice(item_id: str, text: dict[str, str], choices: list[QuestionnaireChoice]) -> QuestionnaireItem:
    return _item(item_id, "choice", text, choices=choices)


PHQ2 = QuestionnaireData(
    key="phq2",
    title=_t(
        "Over the last 2 weeks, how often have you been bothered by the following problems?",
        "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes "
        "problemas?",
        "Durante as últimas 2 semanas, com que frequência você foi incomodado/a por qualquer um dos "
        "problemas abaixo?",
    ),
    attribution=ATTRIBUTION,
    cadence="weekly",
    due_weekdays=["thu"],  # the demo patients' group day
    items=[
        _choice(
            "phq2_1",
            _t(
                "Little interest or pleasure in doing things",
                "Poco interés o placer en hacer cosas",
                "Pouco interesse ou pouco prazer em fazer as coisas",
            ),
            PHQ_CHOICES,
        ),
        _choice(
            "phq2_2",
            _t(
                "Feeling down, depressed, or hopeless",
                "Se ha sentido decaído(a), deprimido(a) o sin esperanzas",
                "Se sentir “para baixo”, deprimido/a ou sem perspectiva",
            ),
            PHQ_CHOICES,
        ),
    ],
    flag_total_at=3,
)

GAD2 = QuestionnaireData(
    key="gad2",
    title=_t(
        "Over the last 2 weeks, how often have you been bothered by the following problems?",
        "Durante las últimas 2 semanas, ¿con qué frecuencia ha sentido molestias por los siguientes "
        "problemas?",
        "Durante as últimas 2 semanas, com que frequência você foi incomodado/a pelos problemas abaixo?",
    ),
    attribution=ATTRIBUTION,
    cadence="weekly",
    due_weekdays=["thu"],
    items=[
        _choice(
            "gad2_1",
            _t(
                "Feeling nervous, anxious or on edge",
                "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta",
                "Sentir-se nervoso/a, ansioso/a ou muito tenso/a",
            ),
            GAD_CHOICES,
        ),
        _choice(
            "gad2_2",
            _t(
                "Not being able to stop or control worrying",
                "No ha sido capaz de parar o controlar su preocupación",
                "Não ser capaz de impedir ou de controlar as preocupações",
            ),
            GAD_CHOICES,
        ),
    ],
    flag_total_at=3,
)

# Alex's last 28 days, oldest first: (craving, mood, confidence, note) or None for a day skipped.
# Craving eases over the month, with a hard weekend in week 3 (a flag the team acknowledged).
ALEX_DAYS: tuple[tuple[int, int, int, str] | None, ...] = (
    (7, 3, 4, "First week. Evenings are the hardest."),
    (7, 4, 4, ""),
    (6, 4, 5, ""),
    None,
    (6, 5, 5, ""),
    (5, 5, 5, "Went for a walk instead of driving past the bar."),
    (6, 4, 5, ""),
    (5, 5, 6, ""),
    (5, 6, 6, ""),
    (4, 5, 6, ""),
    None,
    None,
    (4, 6, 7, ""),
    (4, 6, 6, ""),
    (3, 6, 7, "Good talk with Dana."),
    (4, 6, 7, ""),
    (5, 5, 6, ""),
    (6, 4, 5, "Payday. Old friends called."),
    (8, 3, 4, "Rough night. Could someone call me?"),
    (5, 5, 6, "Thanks for the call."),
    (4, 5, 6, ""),
    (3, 6, 7, ""),
    None,
    (3, 7, 7, ""),
    (2, 7, 8, ""),
    (3, 7, 8, "Letter to future me: started it."),
    (2, 8, 8, ""),
    (2, 7, 8, ""),
)
ALEX_WEEKLY = {"phq2": ((1, 1), (1, 1), (1, 0), (0, 1)), "gad2": ((1, 1), (1, 0), (1, 1), (0, 1))}


def _alex_checkins(
    w: Writer, clinic_id: str, alex: str, assigned: dict[str, str], now: datetime, tz: ZoneInfo, staff_id: str
) -> None:
    """Four weeks of daily check-ins (to yesterday: today's is Alex's to answer) and weekly PHQ-2/GAD-2."""
    today = now.astimezone(tz).date()
    rows = {key: checkins_repo.assigned(w.conn, assignment_id) for key, assignment_id in assigned.items()}
    for n, day in enumerate(ALEX_DAYS):
        if day is None:
            continue
        period = today - timedelta(days=len(ALEX_DAYS) - n)
        craving, mood, confidence, note = day
        answers: dict[str, bool | int | str] = {
            "craving": craving,
            "mood": mood,
            "confidence": confidence,
            "used": False,
            "contact": craving >= 8,
        }
        if note:
            answers["note"] = note
        at = pattern.local(period, time(20, 5 + (n * 7) % 50), tz)
        checkin_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"waypoint-demo/checkin/daily/{n}"))
        checkins.store(w, clinic_id, alex, rows["daily"], checkin_id, period, at, answers, None, at)
        for flag in flags_repo.of_checkin(w.conn, checkin_id):  # seen and called back the next morning
            seen = pattern.local(period + timedelta(days=1), time(9, 10), tz)
            note_ = "Called Alex in the morning; made a plan for the weekend."
            flags_repo.update_flag(
                w,
                flag.id,
                status="acknowledged",
                acknowledged_by="Sam Ortiz",
                acknowledged_at=seen,
                note=note_,
            )
            checkins.touch_flag(w, clinic_id, flag.id, seen, by=staff_id)
            changes.touch(
                w, "checkin", checkin_id, clinic_id=clinic_id, patient_id=alex, now=seen, by=staff_id
            )
    monday = pattern.monday_of(today)
    for key, weeks in ALEX_WEEKLY.items():
        for n, (first, second) in enumerate(weeks):
            period = monday - timedelta(weeks=len(weeks) - n)
            at = pattern.local(period + timedelta(days=3), time(18, 30), tz)  # Thursday, after group
            checkin_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"waypoint-demo/checkin/{key}/{n}"))
            items = [i.id for i in (PHQ2 if key == "phq2" else GAD2).items]
            answers = {items[0]: first, items[1]: second}
            checkins.store(w, clinic_id, alex, rows[key], checkin_id, period, at, answers, first + second, at)


def enrolment_code_for(db: Database, settings: Settings, username: str) -> tuple[str, datetime]:
    now = settings.clock()
    with db.write() as w:
        account = accounts_repo.account_by_username(w.conn, username)
        if account is None or account.role != "patient":
            raise LookupError(username)
        return admin.enrolment_code(w, account.id, settings.code_ttl, now, None)
