//! The words the generator writes: what a kind of service is (names, descriptions and
//! eligibility in English and French), and the shared pools of organization names,
//! streets, documents, hours and notes. All fictional; the `*.example.org` domains are
//! reserved for examples and the phone numbers use the 555-01xx fictional range.

/// A service's text in one language. `{city}` is replaced by the municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub name: &'static str,
    /// Two alternative descriptions; one is chosen per service.
    pub desc: [&'static str; 2],
    pub eligibility: &'static str,
}

pub const fn t(name: &'static str, d1: &'static str, d2: &'static str, eligibility: &'static str) -> Text {
    Text {
        name,
        desc: [d1, d2],
        eligibility,
    }
}

/// One kind of service a directory lists (a food bank, a crisis line, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// Stable key, also the last part of the service's URL.
    pub key: &'static str,
    /// Relative frequency among generated services.
    pub weight: u16,
    /// AIRS-style codes (see [`super::taxonomy::TERMS`]); audiences start with Y.
    pub codes: &'static [&'static str],
    pub en: Text,
    pub fr: Text,
    /// Minimum and maximum age; 0 means none.
    pub ages: (u8, u8),
    pub fees: Fees,
    pub hours: Hours,
    pub apply: Apply,
    pub docs: &'static [Doc],
    /// Address withheld and no coordinates (crisis lines, shelters for women).
    pub confidential: bool,
}

impl Kind {
    pub fn text(&self, fr: bool) -> &Text {
        if fr {
            &self.fr
        } else {
            &self.en
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fees {
    Free,
    /// Usually free, sometimes a sliding scale.
    Mostly,
    /// A sliding scale with a full-fee cost option.
    Sliding,
    /// A fee with the given unit (index into [`FEE_UNITS`]) and amount range in dollars.
    Fee(usize, u32, u32),
}

/// (English, French) units for fees.
pub const FEE_UNITS: &[(&str, &str)] = &[
    ("per meal", "par repas"),
    ("per trip", "par trajet"),
    ("per day", "par jour"),
    ("per month", "par mois"),
    ("per session", "par séance"),
    ("per program", "par programme"),
];
pub const PER_MEAL: usize = 0;
pub const PER_TRIP: usize = 1;
pub const PER_DAY: usize = 2;
pub const PER_MONTH: usize = 3;
pub const PER_PROGRAM: usize = 5;

/// Opening-hours patterns; each has a few variants in [`HOURS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hours {
    Office,
    Clinic,
    Meals,
    Pantry,
    Always,
    Shelter,
    Evening,
    DropIn,
    School,
    Daycare,
}

/// (byday, opens_at, closes_at) rows of one weekly schedule.
pub type Schedule = &'static [(&'static str, &'static str, &'static str)];

const WEEKDAYS: &str = "MO,TU,WE,TH,FR";
const ALL_WEEK: &str = "MO,TU,WE,TH,FR,SA,SU";

/// The variants of each [`Hours`] pattern, in the enum's order.
pub const HOURS: &[&[Schedule]] = &[
    // Office
    &[
        &[(WEEKDAYS, "09:00", "17:00")],
        &[(WEEKDAYS, "08:30", "16:30")],
        &[(WEEKDAYS, "09:00", "12:00"), (WEEKDAYS, "13:00", "16:30")],
        &[("MO,TU,WE,FR", "09:00", "17:00"), ("TH", "09:00", "20:00")],
    ],
    // Clinic
    &[
        &[
            ("MO,TU,WE,TH", "09:00", "20:00"),
            ("FR", "09:00", "17:00"),
            ("SA", "10:00", "14:00"),
        ],
        &[(WEEKDAYS, "08:00", "18:00")],
        &[(WEEKDAYS, "08:30", "16:30"), ("TU", "17:00", "20:00")],
    ],
    // Meals
    &[
        &[(WEEKDAYS, "11:30", "13:00")],
        &[("MO,WE,FR", "08:00", "09:30"), ("SU", "17:00", "18:30")],
        &[("TU,TH,SA", "12:00", "13:30")],
    ],
    // Pantry
    &[
        &[("TU,TH", "10:00", "14:00"), ("SA", "10:00", "12:00")],
        &[("MO,WE,FR", "13:00", "16:00")],
        &[("WE", "16:00", "19:00"), ("SA", "09:30", "12:30")],
    ],
    // Always
    &[&[(ALL_WEEK, "00:00", "24:00")]],
    // Shelter: around the clock, or overnight only.
    &[
        &[(ALL_WEEK, "00:00", "24:00")],
        &[(ALL_WEEK, "00:00", "24:00")],
        &[(ALL_WEEK, "19:00", "08:00")],
    ],
    // Evening
    &[
        &[("TU,TH", "18:00", "21:00")],
        &[("WE", "18:30", "20:30")],
        &[("MO,WE", "17:30", "20:00"), ("SA", "13:00", "16:00")],
    ],
    // DropIn
    &[
        &[(WEEKDAYS, "13:00", "16:00")],
        &[(WEEKDAYS, "08:00", "15:00"), ("SA,SU", "10:00", "14:00")],
        &[("MO,WE,FR", "10:00", "15:00")],
    ],
    // School
    &[&[("MO,TU,WE,TH", "15:30", "18:00")], &[(WEEKDAYS, "15:00", "17:30")]],
    // Daycare
    &[&[(WEEKDAYS, "07:00", "18:00")], &[(WEEKDAYS, "07:30", "17:30")]],
];

/// How to get the service; each has English and French sentences in [`APPLY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apply {
    WalkIn,
    Call,
    Referral,
    Line,
    Online,
    Intake,
}

/// (English, French) application processes, in the enum's order, two variants each.
pub const APPLY: &[[(&str, &str); 2]] = &[
    [
        ("Walk in during opening hours; no appointment needed.", "Présentez-vous pendant les heures d'ouverture, sans rendez-vous."),
        ("Drop in during opening hours. Please arrive 15 minutes before closing.", "Passez pendant les heures d'ouverture. Veuillez arriver au moins 15 minutes avant la fermeture."),
    ],
    [
        ("Call to book an appointment.", "Téléphonez pour prendre rendez-vous."),
        ("Phone or email to book a first appointment; self-referrals welcome.", "Téléphonez ou écrivez pour un premier rendez-vous; aucune recommandation nécessaire."),
    ],
    [
        ("Referral needed from a doctor, nurse practitioner or caseworker.", "Recommandation requise d'un médecin, d'une infirmière praticienne ou d'un intervenant."),
        ("Ask your caseworker to send a referral form; staff will call you to set a date.", "Demandez à votre intervenant d'envoyer un formulaire de recommandation; nous vous appellerons pour fixer une date."),
    ],
    [
        ("Call the line at any time. No referral needed.", "Appelez la ligne en tout temps. Aucune recommandation requise."),
        ("Call any time, day or night; you do not have to give your name.", "Appelez jour et nuit; vous n'avez pas à donner votre nom."),
    ],
    [
        ("Apply online or by phone; staff reply within two business days.", "Faites une demande en ligne ou par téléphone; réponse dans les deux jours ouvrables."),
        ("Register online; help with the form is available by phone.", "Inscrivez-vous en ligne; on peut vous aider à remplir le formulaire par téléphone."),
    ],
    [
        ("Call for an intake appointment; bring the documents listed.", "Appelez pour un rendez-vous d'accueil et apportez les documents demandés."),
        ("Complete an intake interview by phone or in person.", "Passez une entrevue d'accueil par téléphone ou en personne."),
    ],
];

/// Documents a service may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doc {
    Id,
    Address,
    Income,
    HealthCard,
    Immigration,
    Lease,
    Arrears,
    Bills,
    Sin,
    Military,
    Immunization,
    TaxSlips,
}

/// (English, French) document names, in the enum's order.
pub const DOCS: &[(&str, &str)] = &[
    ("Photo ID", "Pièce d'identité avec photo"),
    ("Proof of address", "Preuve d'adresse"),
    (
        "Proof of income (pay stubs, benefit statement or notice of assessment)",
        "Preuve de revenu (talons de paie, relevé de prestations ou avis de cotisation)",
    ),
    ("Ontario health card", "Carte Santé de l'Ontario"),
    (
        "Immigration documents (PR card, confirmation of permanent residence or refugee claimant document)",
        "Documents d'immigration (carte de RP, confirmation de résidence permanente ou document de demandeur d'asile)",
    ),
    ("Copy of your lease", "Copie du bail"),
    (
        "Notice of arrears or eviction notice",
        "Avis d'arriérés ou avis d'expulsion",
    ),
    (
        "Recent bill or disconnection notice",
        "Facture récente ou avis de débranchement",
    ),
    ("Social Insurance Number", "Numéro d'assurance sociale"),
    ("Proof of military service", "Preuve de service militaire"),
    ("Child's immunization record", "Carnet de vaccination de l'enfant"),
    (
        "Tax slips and last year's notice of assessment",
        "Feuillets d'impôt et avis de cotisation de l'an dernier",
    ),
];

/// Invented organization name stems: (English display, French display, slug).
pub const STEMS: &[(&str, &str, &str)] = &[
    ("Tamarack", "Le Mélèze", "tamarack"),
    ("Blue Heron", "Le Héron bleu", "blue-heron"),
    ("Cedar Bend", "La Clairière", "cedar-bend"),
    ("Lantern", "La Lanterne", "lantern"),
    ("Kestrel", "La Crécerelle", "kestrel"),
    ("Fernbrook", "La Fougère", "fernbrook"),
    ("Stillwater", "L'Eau calme", "stillwater"),
    ("Juniper", "Le Genévrier", "juniper"),
    ("Riverstone", "La Pierre de rivière", "riverstone"),
    ("Birchwood", "Les Bouleaux", "birchwood"),
    ("Harbourlight", "Le Fanal", "harbourlight"),
    ("Maple Hollow", "Le Vallon des érables", "maple-hollow"),
    ("Northwind", "Le Vent du nord", "northwind"),
    ("Wildflower", "La Fleur sauvage", "wildflower"),
    ("Greystone", "La Pierre grise", "greystone"),
    ("Silver Birch", "Le Bouleau argenté", "silver-birch"),
    ("Loon Call", "Le Chant du huard", "loon-call"),
    ("Red Pine", "Le Pin rouge", "red-pine"),
    ("Bridgeview", "Le Pont de bois", "bridgeview"),
    ("Hearthstone", "L'Âtre", "hearthstone"),
    ("Meadowlark", "L'Alouette", "meadowlark"),
    ("Willow Creek", "Le Ruisseau des saules", "willow-creek"),
    ("Copperleaf", "La Feuille de cuivre", "copperleaf"),
    ("Ironwood", "Le Bois de fer", "ironwood"),
    ("Lighthouse Lane", "Le Sentier du phare", "lighthouse-lane"),
    ("Pathfinder", "Le Repère", "pathfinder"),
    ("Goldfinch", "Le Chardonneret", "goldfinch"),
    ("Moonrise", "Le Lever de lune", "moonrise"),
];

/// Organization types: (English, placed after the stem; French, placed before it).
pub const ORG_TYPES: &[(&str, &str)] = &[
    ("Community Services", "Services communautaires"),
    ("Neighbourhood Centre", "Centre de quartier"),
    ("Support Network", "Réseau d'entraide"),
    ("Resource Centre", "Centre de ressources"),
    ("Outreach", "Carrefour d'entraide"),
    ("Community Partners", "Partenaires communautaires"),
    ("Wellness Collective", "Collectif mieux-être"),
    ("Services Society", "Société de services"),
    ("Community House", "Maison communautaire"),
];

pub const STREETS_EN: &[&str] = &[
    "Main Street",
    "King Street",
    "Queen Street",
    "Elm Street",
    "Maple Avenue",
    "Church Street",
    "Victoria Street",
    "Park Road",
    "Water Street",
    "Wellington Street",
    "Albert Street",
    "Cedar Street",
    "Pine Street",
    "First Avenue",
    "Second Avenue",
    "Riverside Drive",
    "College Street",
    "Oak Street",
    "Station Road",
    "Lake Street",
    "Front Street",
    "Mill Street",
];

pub const STREETS_FR: &[&str] = &[
    "rue Principale",
    "rue Notre-Dame",
    "rue King",
    "avenue des Pins",
    "rue Saint-Joseph",
    "rue de l'Église",
    "avenue du Parc",
    "rue Champlain",
    "rue Laurier",
    "rue Lafontaine",
    "chemin du Lac",
    "rue des Érables",
];

/// (English, French) second address lines.
pub const UNITS: &[(&str, &str)] = &[("Suite", "Bureau"), ("Unit", "Unité")];

/// (English, French) names of a second site.
pub const SITES: &[(&str, &str)] = &[
    ("East End Site", "Point de service Est"),
    ("West End Site", "Point de service Ouest"),
    ("Downtown Office", "Bureau du centre-ville"),
    ("North Site", "Point de service Nord"),
    ("Satellite Office", "Bureau satellite"),
];

/// (English, French) qualifiers some service names carry.
pub const QUALIFIERS: &[(&str, &str)] = &[
    ("Downtown", "centre-ville"),
    ("East End", "secteur Est"),
    ("West End", "secteur Ouest"),
    ("North End", "secteur Nord"),
    ("South End", "secteur Sud"),
];

/// Neutral second sentences: they must not suggest any category or audience.
pub const EXTRA_SENTENCES: &[(&str, &str)] = &[
    (
        "Call ahead to confirm hours before visiting.",
        "Appelez avant de vous déplacer pour confirmer l'horaire.",
    ),
    (
        "Staff are friendly and discreet.",
        "Le personnel est accueillant et discret.",
    ),
    (
        "Please let us know if you need an interpreter.",
        "Dites-nous si vous avez besoin d'un interprète.",
    ),
    (
        "All services are confidential.",
        "Tous les services sont confidentiels.",
    ),
    ("Parking is available on site.", "Stationnement sur place."),
];

pub const ACCESSIBILITY: &[(&str, &str)] = &[
    (
        "Wheelchair accessible entrance and washroom",
        "Entrée et toilettes accessibles en fauteuil roulant",
    ),
    (
        "Ramp at the side entrance; elevator to all floors",
        "Rampe à l'entrée latérale; ascenseur à tous les étages",
    ),
    (
        "Accessible parking; hearing loop at reception",
        "Stationnement accessible; boucle magnétique à l'accueil",
    ),
    (
        "Not wheelchair accessible: stairs at the entrance",
        "Non accessible en fauteuil roulant : marches à l'entrée",
    ),
    (
        "Automatic doors and accessible washroom on the main floor",
        "Portes automatiques et toilettes accessibles au rez-de-chaussée",
    ),
];

pub const TRANSPORTATION: &[(&str, &str)] = &[
    ("Bus stop at the door.", "Arrêt d'autobus à la porte."),
    (
        "Two blocks from the nearest bus stop; free parking.",
        "À deux coins de rue de l'arrêt d'autobus; stationnement gratuit.",
    ),
    (
        "On a bus route; accessible parking at the rear.",
        "Sur un trajet d'autobus; stationnement accessible à l'arrière.",
    ),
];

pub const WAIT_TIMES: &[(&str, &str)] = &[
    ("No wait", "Aucune attente"),
    ("About 1 week", "Environ 1 semaine"),
    ("2 to 6 weeks", "2 à 6 semaines"),
    ("Up to 3 months", "Jusqu'à 3 mois"),
];

pub const INTERPRETATION: (&str, &str) = (
    "Interpretation available on request in many languages.",
    "Services d'interprétation offerts sur demande dans plusieurs langues.",
);
pub const ALERT_HOLIDAYS: (&str, &str) = (
    "Hours may change over the holidays; call before visiting.",
    "L'horaire peut changer pendant les Fêtes; appelez avant de vous déplacer.",
);
pub const ALERT_CLOSED: (&str, &str) = (
    "Temporarily closed for renovations.",
    "Fermé temporairement pour rénovations.",
);
pub const HOLIDAY_NOTE: (&str, &str) = ("Closed on statutory holidays.", "Fermé les jours fériés.");
pub const ALWAYS_NOTE: (&str, &str) = (
    "Open 24 hours a day, 7 days a week.",
    "Ouvert 24 heures sur 24, 7 jours sur 7.",
);
pub const FREE: (&str, &str) = ("Free", "Gratuit");
pub const SLIDING: (&str, &str) = (
    "Sliding scale based on household income; no one is turned away.",
    "Tarif selon le revenu du ménage; personne n'est refusé.",
);
pub const SLIDING_OPTION: (&str, &str) = ("Full fee per session", "Tarif complet par séance");
pub const SLIDING_NOTE: (&str, &str) = ("Reduced fees based on income", "Tarif réduit selon le revenu");
pub const FEE_OPTION: (&str, &str) = ("Standard fee", "Tarif régulier");

/// Languages offered besides the service's own: (code, English name, weight).
pub const OTHER_LANGUAGES: &[(&str, &str, u64)] = &[
    ("fr", "French", 14),
    ("es", "Spanish", 10),
    ("ar", "Arabic", 10),
    ("zh", "Chinese", 10),
    ("pa", "Punjabi", 8),
    ("ur", "Urdu", 5),
    ("ta", "Tamil", 5),
    ("tl", "Tagalog", 5),
    ("uk", "Ukrainian", 5),
    ("pt", "Portuguese", 4),
    ("fa", "Persian", 4),
    ("so", "Somali", 3),
    ("vi", "Vietnamese", 3),
    ("it", "Italian", 2),
    ("pl", "Polish", 2),
    ("asl", "American Sign Language", 2),
];
pub const ENGLISH: (&str, &str) = ("en", "English");
pub const FRENCH: (&str, &str) = ("fr", "French");
pub const INDIGENOUS_LANGUAGES: &[(&str, &str)] = &[("oj", "Ojibwe"), ("cr", "Cree")];
