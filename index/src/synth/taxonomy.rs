//! The taxonomy terms generated services are coded with: AIRS-style codes (so navigator's
//! prefix mapping applies) with plain-language names and descriptions written for this
//! fictional directory, not taken from any published taxonomy.

/// (code, name, description)
#[rustfmt::skip]
pub const TERMS: &[(&str, &str, &str)] = &[
    ("BD-1800.2000", "Food Banks", "Free groceries for people who cannot afford enough food."),
    ("BD-1800.2250", "Neighbourhood Pantries", "Small local cupboards of free food, often client-choice."),
    ("BD-5000.1500", "Shared Community Meals", "Free or low-cost prepared meals eaten together."),
    ("BD-5000.3500", "Meals Brought Home", "Prepared meals delivered to people who cannot shop or cook."),
    ("BH-1800.8500", "Emergency Shelters", "A safe place to sleep tonight."),
    ("BH-1800.1500", "Shelters for Women Leaving Violence", "Safe, confidential housing for women and children leaving abuse."),
    ("BH-3800.7000", "Help Paying Rent", "Grants toward rent or rent arrears."),
    ("BH-3800.7250", "Rent Bank Loans", "Interest-free loans for missed rent."),
    ("BH-3700", "Finding Housing", "Help searching and applying for a place to live."),
    ("BV-8900.9300", "Help With Utility Bills", "Help paying hydro, gas, heating or water bills."),
    ("BM-6500.1500", "Free Clothing", "Clothing and footwear at no cost."),
    ("BM-3000.2000", "Furniture and Household Items", "Donated furniture and household goods."),
    ("BT-4500.6500", "Rides to Appointments", "Drivers and vans for medical and other appointments."),
    ("BT-8300", "Reduced Transit Fares", "Discounted bus passes and fares."),
    ("LN-1500", "Community Health Centres", "Team-based primary care with social supports."),
    ("LN-3000", "Walk-In Clinics", "Medical care without an appointment."),
    ("LH-2700", "Hospital Clinics", "Outpatient clinics run by hospitals."),
    ("LV-1600", "Dental Care", "Check-ups, cleanings and dental treatment."),
    ("LF-7900", "Sexual Health", "Birth control, testing and sexual health care."),
    ("LN-3500", "Indigenous Health Programs", "Health care grounded in Indigenous knowledge and healing."),
    ("RP-6400", "Counselling", "Talking with a trained counsellor or therapist."),
    ("RP-6400.8000", "Single-Session Counselling", "Counselling without an appointment or wait list."),
    ("RR-6500", "Peer Support", "Support from people with lived experience."),
    ("RR-8200", "Support Groups", "Groups that meet to share experiences and coping skills."),
    ("RX-8470.3000", "Harm Reduction", "Safer-use supplies, naloxone and non-judgemental support."),
    ("RX-8450", "Substance Use Counselling", "Counselling and treatment for alcohol, drug or gambling concerns."),
    ("RX-1700", "Withdrawal Management", "Short stays to stop using alcohol or drugs safely."),
    ("RP-1500.1400", "Crisis Phone Lines", "Telephone support for people in distress, day and night."),
    ("RP-1500.3300", "Mobile Crisis Response", "Crisis workers who come to the person."),
    ("FT-3200", "Free Legal Clinics", "Legal advice and representation at no cost."),
    ("FT-1800", "Tenant Legal Help", "Advice for tenants on evictions, repairs and rent."),
    ("FT-3800", "Immigration Legal Help", "Legal help with refugee claims and immigration."),
    ("NL-8000", "Tax Filing Help", "Free help filing income tax and benefit returns."),
    ("NS-0500", "Help With Benefit Applications", "Help applying for government benefits and appeals."),
    ("NL-1800", "Emergency Money", "One-time help with urgent costs."),
    ("NS-9000", "Veterans' Benefits Help", "Help with benefits for former military and RCMP members."),
    ("ND-6500", "Job Search Help", "Help finding work, résumés and interviews."),
    ("ND-6500.9800", "Youth Employment", "Job training and placements for young people."),
    ("ND-1800", "Supported Employment", "Job coaching and accommodations at work."),
    ("HL-4500", "Adult Literacy", "Reading, writing, math and computer skills for adults."),
    ("HL-4500.2000", "Language Classes", "English or French classes for adults."),
    ("HD-1800", "Homework Help", "Tutoring and homework help for students."),
    ("PH-1250", "Child Care", "Care for children while parents work or study."),
    ("PH-1250.1800", "Early Years Drop-Ins", "Play and learning for young children with a parent."),
    ("PH-6100", "Parenting Programs", "Workshops and groups for parents and caregivers."),
    ("PH-2360", "Family Support", "Help for families facing difficulties."),
    ("TC-1500", "Drop-In Centres", "Places to spend the day, meet people and get help."),
    ("TC-2000", "Cultural Programs", "Gatherings, teachings and cultural activities."),
    ("TC-5500", "Recreation Programs", "Sports, arts and fitness activities."),
    ("TC-8000", "Seniors' Day Programs", "Supervised daytime activities and care for older adults."),
    ("TI-1800", "Volunteer Opportunities", "Ways to volunteer in the community."),
    ("TJ-3000", "Information and Referral", "Help finding the right service."),
    ("YB-8000", "Seniors", "Older adults."),
    ("YB-9500", "Youth", "Teenagers and young adults."),
    ("YE-6500", "Newcomers", "Immigrants and other people new to Canada."),
    ("YE-6500.7000", "Refugees", "Refugees and refugee claimants."),
    ("YN-9000", "Veterans", "Former members of the armed forces and RCMP."),
    ("YV-3000", "People Without Housing", "People experiencing homelessness."),
    ("YL-4000", "Low-Income Households", "People and families living on a low income."),
    ("YF-5000", "People With Disabilities", "People living with a disability."),
    ("YF-1500", "Deaf and Hard of Hearing People", "People who are Deaf, deafened or hard of hearing."),
    ("YT-2000", "2SLGBTQ+ People", "Two-Spirit, lesbian, gay, bisexual, trans and queer people."),
];

/// The taxonomy_terms.csv id of a code: "airs-" and the code, lower case, dots as dashes.
pub fn term_id(code: &str) -> String {
    format!("airs-{}", code.to_ascii_lowercase().replace('.', "-"))
}

/// Index of a code in [`TERMS`].
pub fn term_index(code: &str) -> Option<usize> {
    TERMS.iter().position(|(c, _, _)| *c == code)
}
