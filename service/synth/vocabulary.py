"""Word lists for the synthetic data: regions, institution kinds, competences, sectors.

Finnish labels first, English second. Every list is a tuple so the generator's choices depend
only on the seed.
"""

from __future__ import annotations

from typing import NamedTuple


class Region(NamedTuple):
    """A region of ontology/regions.ttl with its Finnish genitive and population weight."""

    slug: str
    code: str
    fi: str
    en: str
    genitive: str
    weight: int  # population in thousands (2023, rounded): institutions follow it


REGIONS: tuple[Region, ...] = (
    Region("uusimaa", "01", "Uusimaa", "Uusimaa", "Uudenmaan", 1730),
    Region(
        "varsinais-suomi", "02", "Varsinais-Suomi", "Southwest Finland", "Varsinais-Suomen", 485
    ),
    Region("satakunta", "04", "Satakunta", "Satakunta", "Satakunnan", 213),
    Region("kanta-hame", "05", "Kanta-Häme", "Kanta-Häme", "Kanta-Hämeen", 170),
    Region("pirkanmaa", "06", "Pirkanmaa", "Pirkanmaa", "Pirkanmaan", 535),
    Region("paijat-hame", "07", "Päijät-Häme", "Päijät-Häme", "Päijät-Hämeen", 205),
    Region("kymenlaakso", "08", "Kymenlaakso", "Kymenlaakso", "Kymenlaakson", 161),
    Region("etela-karjala", "09", "Etelä-Karjala", "South Karelia", "Etelä-Karjalan", 126),
    Region("etela-savo", "10", "Etelä-Savo", "South Savo", "Etelä-Savon", 130),
    Region("pohjois-savo", "11", "Pohjois-Savo", "North Savo", "Pohjois-Savon", 249),
    Region("pohjois-karjala", "12", "Pohjois-Karjala", "North Karelia", "Pohjois-Karjalan", 163),
    Region("keski-suomi", "13", "Keski-Suomi", "Central Finland", "Keski-Suomen", 275),
    Region(
        "etela-pohjanmaa", "14", "Etelä-Pohjanmaa", "South Ostrobothnia", "Etelä-Pohjanmaan", 191
    ),
    Region("pohjanmaa", "15", "Pohjanmaa", "Ostrobothnia", "Pohjanmaan", 177),
    Region(
        "keski-pohjanmaa", "16", "Keski-Pohjanmaa", "Central Ostrobothnia", "Keski-Pohjanmaan", 68
    ),
    Region(
        "pohjois-pohjanmaa",
        "17",
        "Pohjois-Pohjanmaa",
        "North Ostrobothnia",
        "Pohjois-Pohjanmaan",
        418,
    ),
    Region("kainuu", "18", "Kainuu", "Kainuu", "Kainuun", 70),
    Region("lappi", "19", "Lappi", "Lapland", "Lapin", 176),
    Region("ahvenanmaa", "21", "Ahvenanmaa", "Åland", "Ahvenanmaan", 30),
)


class InstitutionKind(NamedTuple):
    """An actor type of ontology/schemes.ttl that offers education, with its share."""

    actor_type: str
    schema_class: str  # schema:CollegeOrUniversity, schema:EducationalOrganization or schema:NGO
    fi: str
    en: str
    weight: int


INSTITUTION_KINDS: tuple[InstitutionKind, ...] = (
    InstitutionKind(
        "ammatillinen-oppilaitos",
        "EducationalOrganization",
        "ammattiopisto",
        "Vocational College",
        40,
    ),
    InstitutionKind(
        "kansalaisopisto",
        "EducationalOrganization",
        "kansalaisopisto",
        "Adult Education Centre",
        30,
    ),
    InstitutionKind(
        "ammattikorkeakoulu",
        "CollegeOrUniversity",
        "ammattikorkeakoulu",
        "University of Applied Sciences",
        10,
    ),
    InstitutionKind("yliopisto", "CollegeOrUniversity", "yliopisto", "University", 4),
    InstitutionKind("setlementti", "NGO", "setlementti", "Settlement", 6),
    InstitutionKind("kolmas-sektori", "NGO", "koulutusyhdistys", "Education Association", 10),
)

# Invented place names: a first part and a second part with its genitive.
PLACE_FIRST: tuple[tuple[str, str], ...] = (
    ("Järvi", "Jarvi"),
    ("Harju", "Harju"),
    ("Koski", "Koski"),
    ("Metsä", "Metsa"),
    ("Ranta", "Ranta"),
    ("Niemi", "Niemi"),
    ("Salmi", "Salmi"),
    ("Kallio", "Kallio"),
    ("Suo", "Suo"),
    ("Lumi", "Lumi"),
    ("Kivi", "Kivi"),
    ("Saari", "Saari"),
    ("Haka", "Haka"),
    ("Kangas", "Kangas"),
    ("Selkä", "Selka"),
    ("Tuuli", "Tuuli"),
    ("Kuusi", "Kuusi"),
    ("Koivu", "Koivu"),
    ("Mänty", "Manty"),
    ("Pihlaja", "Pihlaja"),
)
PLACE_SECOND: tuple[tuple[str, str], ...] = (
    ("laakso", "laakson"),
    ("mäki", "mäen"),
    ("ranta", "rannan"),
    ("niemi", "niemen"),
    ("vaara", "vaaran"),
    ("joki", "joen"),
    ("harju", "harjun"),
    ("kylä", "kylän"),
    ("lahti", "lahden"),
    ("salo", "salon"),
    ("koski", "kosken"),
    ("järvi", "järven"),
)

# Sectors are id/sector/00..10 (ontology/schemes.ttl).
SECTORS: tuple[str, ...] = tuple(f"{n:02d}" for n in range(11))

# Competence names: a topic (by sector) combined with an aspect and a level.
TOPICS: tuple[tuple[str, str, str], ...] = (
    ("00", "ohjausosaaminen", "guidance"),
    ("00", "urasuunnittelu", "career planning"),
    ("00", "opiskelutaidot", "study skills"),
    ("01", "varhaiskasvatus", "early childhood education"),
    ("01", "aikuiskoulutus", "adult education"),
    ("01", "erityisopetus", "special needs education"),
    ("02", "kuvataide", "visual arts"),
    ("02", "musiikki", "music"),
    ("02", "mediatuotanto", "media production"),
    ("02", "kielitaito", "language skills"),
    ("03", "sosiaalipolitiikka", "social policy"),
    ("03", "viestintä", "communication"),
    ("04", "kirjanpito", "bookkeeping"),
    ("04", "markkinointi", "marketing"),
    ("04", "johtaminen", "management"),
    ("04", "asiakaspalvelu", "customer service"),
    ("04", "yrittäjyys", "entrepreneurship"),
    ("05", "ympäristötieto", "environmental science"),
    ("05", "laboratoriotyö", "laboratory work"),
    ("06", "ohjelmointi", "programming"),
    ("06", "tietoturva", "information security"),
    ("06", "data-analytiikka", "data analytics"),
    ("06", "pilvipalvelut", "cloud services"),
    ("07", "hitsaus", "welding"),
    ("07", "sähköasennus", "electrical installation"),
    ("07", "automaatio", "automation"),
    ("07", "rakentaminen", "construction"),
    ("07", "koneistus", "machining"),
    ("07", "logistiikka", "logistics"),
    ("08", "metsänhoito", "forestry"),
    ("08", "kotieläintuotanto", "animal husbandry"),
    ("08", "puutarhatalous", "horticulture"),
    ("09", "sairaanhoito", "nursing"),
    ("09", "vanhustyö", "elderly care"),
    ("09", "lähihoito", "practical nursing"),
    ("09", "mielenterveystyö", "mental health work"),
    ("09", "ensihoito", "emergency care"),
    ("10", "matkailu", "tourism"),
    ("10", "ravintolapalvelut", "restaurant services"),
    ("10", "turvallisuusala", "security services"),
    ("10", "kiinteistöpalvelut", "property services"),
    ("10", "liikenne", "transport"),
)
ASPECTS: tuple[tuple[str, str], ...] = (
    ("perusteet", "fundamentals"),
    ("käytännön taidot", "practical skills"),
    ("digitaaliset työkalut", "digital tools"),
    ("laadunvarmistus", "quality assurance"),
    ("turvallisuus", "safety"),
    ("asiakastyö", "client work"),
    ("kestävä kehitys", "sustainability"),
    ("kansainvälisyys", "internationalisation"),
    ("kehittämistyö", "development work"),
    ("ohjaus ja neuvonta", "guidance and counselling"),
    ("lainsäädäntö", "legislation"),
    ("tiimityö", "teamwork"),
    ("ennakointi", "foresight"),
    ("työelämäyhteistyö", "working-life cooperation"),
    ("vuorovaikutus", "interaction"),
    ("arviointi", "assessment"),
)
LEVELS: tuple[tuple[str, str], ...] = (
    ("", ""),
    ("syventävä", "advanced"),
    ("erikoistuva", "specialist"),
    ("johdatus", "introductory"),
)

# Kinds of competence-map entries: class, IRI kind, Finnish and English label patterns.
ENTRY_KINDS: tuple[tuple[str, str, str, str, int], ...] = (
    ("Degree", "degree", "{topic}: tutkinto", "Qualification in {topic}", 30),
    ("Training", "training", "{topic}: täydennyskoulutus", "Further training in {topic}", 35),
    ("Facility", "facility", "{topic}: oppimisympäristö", "Learning environment for {topic}", 12),
    ("Equipment", "equipment", "{topic}: opetuslaitteisto", "Teaching equipment for {topic}", 13),
    ("Expert", "expert", "{topic}: asiantuntija", "Expert in {topic}", 10),
)

# Goal themes for synthetic strategies (EU, national, regional).
GOAL_THEMES: tuple[tuple[str, str], ...] = (
    ("Ohjauspalvelut ovat kaikkien saatavilla", "Guidance services are available to everyone"),
    (
        "Ohjaustyötä tekevillä on tehtävien edellyttämä osaaminen",
        "Guidance practitioners have the competence their tasks require",
    ),
    (
        "Ohjauksen laatua arvioidaan ja kehitetään",
        "The quality of guidance is assessed and developed",
    ),
    (
        "Toimijat tekevät yhteistyötä hallinnonalojen yli",
        "Actors cooperate across administrative sectors",
    ),
    ("Ohjaus tukee työelämään siirtymistä", "Guidance supports the transition to working life"),
    ("Osaamisen tunnistaminen on sujuvaa", "Recognition of prior learning runs smoothly"),
    ("Digitaaliset ohjauspalvelut ovat saavutettavia", "Digital guidance services are accessible"),
    ("Ohjauksen tietopohja on ajantasainen", "The knowledge base of guidance is up to date"),
)
MEASURE_VERBS: tuple[tuple[str, str], ...] = (
    ("Järjestetään koulutusta", "Training is organised"),
    ("Kartoitetaan tarpeet", "The needs are mapped"),
    ("Kehitetään yhteinen toimintamalli", "A common operating model is developed"),
    ("Otetaan käyttöön laatutyökalu", "A quality tool is taken into use"),
    ("Vahvistetaan verkostoyhteistyötä", "Network cooperation is strengthened"),
    ("Laaditaan viestintäsuunnitelma", "A communication plan is drawn up"),
)
