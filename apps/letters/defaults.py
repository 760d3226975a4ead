# ruff: noqa: E501 - a paragraph of a letter is one line
"""The default texts of the letters (Dutch, as sent): what a municipality sends
until its administrator changes them (`/beheer/brieven/`). Placeholders are
those of `apps.letters.placeholders.PLACEHOLDERS`. They are data, like a
municipality's own text, and stay Dutch whatever the interface language: the
letter goes to a resident in Dutch (as the decision letter)."""

from apps.letters.placeholders import LetterKind

ACKNOWLEDGEMENT_SUBJECT = "Bevestiging van uw melding (Wmo 2015)"
ACKNOWLEDGEMENT_BODY = """Beste {naam},

Op {datum_melding} heeft u bij ons gemeld dat u ondersteuning nodig heeft. Met deze brief bevestigen wij dat wij uw melding hebben ontvangen (artikel 2.3.2 van de Wet maatschappelijke ondersteuning 2015). Uw melding heeft het nummer {vraagnummer}.

Wat gebeurt er nu?
Wij onderzoeken samen met u wat uw situatie is, wat u nodig heeft en wat u zelf of met hulp van mensen om u heen kunt doen. Dit onderzoek ronden wij af binnen zes weken na uw melding, dus uiterlijk op {uiterste_datum_onderzoek}. Wij nemen binnenkort contact met u op om een gesprek af te spreken.

Persoonlijk plan
U mag binnen zeven dagen na uw melding een persoonlijk plan aan ons geven. Daarin beschrijft u zelf uw situatie en welke ondersteuning u denkt nodig te hebben. Wij betrekken uw plan bij het onderzoek. Geef of stuur uw plan uiterlijk op {uiterste_datum_persoonlijk_plan}.

Cliëntondersteuning
U heeft recht op gratis cliëntondersteuning: iemand die u onafhankelijk helpt bij het onderzoek en het gesprek. Ook mag u iemand uit uw omgeving meenemen naar het gesprek.

Heeft u vragen over deze brief? Neem dan contact met ons op en noem het nummer van uw melding."""

INVITATION_SUBJECT = "Uitnodiging voor een gesprek over uw ondersteuning"
INVITATION_BODY = """Beste {naam},

Wij nodigen u uit voor een gesprek over uw vraag (nummer {vraagnummer}). In dit gesprek, ook wel keukentafelgesprek genoemd, praten wij samen over uw situatie, wat u nodig heeft en wat u zelf of met hulp van mensen om u heen kunt doen.

Datum: {datum_gesprek}
Tijd: {tijd_gesprek}
Plaats: {plaats_gesprek}

U mag iemand meenemen naar het gesprek, bijvoorbeeld een familielid, een vriend of een onafhankelijke cliëntondersteuner. Cliëntondersteuning is gratis.

Kunt u niet op deze datum of tijd? Neem dan zo snel mogelijk contact met ons op, dan maken wij een nieuwe afspraak.

Wij zien u graag."""

POSTPONEMENT_SUBJECT = "Wij hebben meer tijd nodig voor het onderzoek naar uw melding"
POSTPONEMENT_BODY = """Beste {naam},

Op {datum_melding} heeft u bij ons een melding gedaan (nummer {vraagnummer}). Wij onderzoeken samen met u welke ondersteuning u nodig heeft. Dit onderzoek zouden wij uiterlijk op {oude_termijn} afronden. Dat lukt niet op tijd.

Waarom hebben wij meer tijd nodig?
{reden}

Wanneer is het onderzoek klaar?
Wij ronden het onderzoek uiterlijk op {nieuwe_termijn} af. Wij vinden dit een redelijke termijn (vergelijk artikel 4:14 van de Algemene wet bestuursrecht: wie niet op tijd kan beslissen, laat dat weten met de reden en een nieuwe, redelijke termijn).

Bent u het niet eens met deze verlenging, of heeft u vragen? Neem dan contact met ons op en noem het nummer van uw melding."""

REPORT_SUBJECT = "Verslag van het onderzoek naar uw situatie (Wmo 2015)"
REPORT_BODY = """Beste {naam},

Wij hebben samen met u onderzocht wat uw situatie is, wat u nodig heeft en wat u zelf of met hulp van mensen om u heen kunt doen. Met deze brief ontvangt u het verslag van dat onderzoek (artikel 2.3.4 van de Wet maatschappelijke ondersteuning 2015). Het gaat over casus {casusnummer}.

Hieronder staat per leefgebied hoe zelfredzaam u bent volgens de laatste meting ({datum_meting}), op een schaal van 1 (acute problematiek) tot 5 (volledig zelfredzaam). Daarna staan de doelen en oplossingen van uw ondersteuningsplan ({status_plan}).

Klopt er iets niet, of mist u iets? Laat het ons dan binnen twee weken weten. Uw reactie voegen wij bij het verslag. Met dit verslag kunt u ook een aanvraag doen voor een maatwerkvoorziening."""

DECISION_POSTPONEMENT_SUBJECT = "Wij beslissen later op uw aanvraag voor {voorziening}"
DECISION_POSTPONEMENT_BODY = """Beste {naam},

Op {datum_aanvraag} heeft u een aanvraag gedaan voor {voorziening} (nummer {aanvraagnummer}). Wij zouden uiterlijk op {oude_termijn} over uw aanvraag beslissen. Dat lukt niet op tijd.

Waarom beslissen wij later?
{reden}

Wanneer beslissen wij?
Wij beslissen uiterlijk op {nieuwe_termijn}. Dit laten wij u weten op grond van artikel 4:14 van de Algemene wet bestuursrecht: wie niet op tijd kan beslissen, laat dat weten met de reden en een nieuwe, redelijke termijn.

Heeft u vragen over deze brief? Neem dan contact met ons op en noem het nummer van uw aanvraag."""

DEFAULT_TEXTS = {
    LetterKind.ACKNOWLEDGEMENT: (ACKNOWLEDGEMENT_SUBJECT, ACKNOWLEDGEMENT_BODY),
    LetterKind.INVITATION: (INVITATION_SUBJECT, INVITATION_BODY),
    LetterKind.POSTPONEMENT: (POSTPONEMENT_SUBJECT, POSTPONEMENT_BODY),
    LetterKind.REPORT: (REPORT_SUBJECT, REPORT_BODY),
    LetterKind.DECISION_POSTPONEMENT: (
        DECISION_POSTPONEMENT_SUBJECT,
        DECISION_POSTPONEMENT_BODY,
    ),
}
