"""Generate the bundled sample catalogue, its embeddings and the labelled evaluation queries.

    python scripts/generate_sample_catalogue.py [--count 2400] [--seed 20261124] [--no-embed]

Writes into talent/data/:
- sample_catalogue.jsonl.gz  the profiles (CONTRACT.md import schema)
- sample_vectors.npy         float16 passage embeddings, one row per profile, same order
- sample_eval.jsonl          labelled queries: text, the conditions they mean, expected ids

The expected ids come from the generator's own ground truth (each profile's attributes and
the character types its bio was written around), never from search results.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "talent" / "data"
YEAR = 2026  # fixed, so the same seed gives the same files whatever the date

# region: (female first names, male first names, surnames, languages, home cities, dances)
REGIONS: dict[str, tuple[list[str], list[str], list[str], list[str], list[str], list[str]]] = {
    "maharashtra": (
        [
            "Aditi",
            "Sayali",
            "Mrunal",
            "Gauri",
            "Ketaki",
            "Rutuja",
            "Pooja",
            "Sai",
            "Amruta",
            "Madhura",
        ],
        [
            "Siddharth",
            "Omkar",
            "Aniket",
            "Saurabh",
            "Tejas",
            "Rohan",
            "Vaibhav",
            "Sagar",
            "Amey",
            "Nikhil",
        ],
        [
            "Patil",
            "Deshmukh",
            "Kulkarni",
            "Joshi",
            "Pawar",
            "Jadhav",
            "Shinde",
            "Gokhale",
            "Bhosale",
            "Sawant",
        ],
        ["Marathi"],
        ["Pune", "Nagpur", "Mumbai"],
        ["lavani", "kathak"],
    ),
    "punjab": (
        ["Simran", "Harleen", "Jasleen", "Navneet", "Gurleen", "Manpreet", "Kirat", "Amrit"],
        ["Harjeet", "Gurpreet", "Manjot", "Karan", "Arjun", "Jaskaran", "Rajveer", "Inder"],
        ["Singh", "Gill", "Sandhu", "Dhillon", "Kapoor", "Malhotra", "Grewal", "Bajwa"],
        ["Punjabi"],
        ["Chandigarh", "Delhi"],
        ["bhangra", "gatka"],
    ),
    "bengal": (
        ["Ananya", "Riya", "Paromita", "Sohini", "Debolina", "Ishani", "Tanushree", "Moumita"],
        ["Arnab", "Sayan", "Ritwik", "Abir", "Souvik", "Anirban", "Debashish", "Rajat"],
        ["Chatterjee", "Banerjee", "Mukherjee", "Das", "Sen", "Ghosh", "Bose", "Dutta"],
        ["Bengali"],
        ["Kolkata"],
        ["odissi", "contemporary dance"],
    ),
    "tamil": (
        ["Lakshmi", "Divya", "Keerthana", "Meenakshi", "Priya", "Janani", "Nithya", "Aishwarya"],
        ["Karthik", "Arun", "Vignesh", "Surya", "Prakash", "Hari", "Senthil", "Ashwin"],
        ["Iyer", "Subramanian", "Krishnan", "Rajan", "Venkatesh", "Natarajan", "Raman"],
        ["Tamil"],
        ["Chennai"],
        ["bharatanatyam", "silambam"],
    ),
    "kerala": (
        ["Anjali", "Parvathy", "Meera", "Nimisha", "Aswathy", "Reshma", "Gayathri"],
        ["Arjun", "Vishnu", "Nivin", "Fahad", "Sreenath", "Akhil", "Rahul"],
        ["Nair", "Menon", "Pillai", "Kurian", "Varghese", "Panicker", "Thomas"],
        ["Malayalam"],
        ["Kochi", "Thiruvananthapuram"],
        ["mohiniyattam", "kalaripayattu"],
    ),
    "gujarat": (
        ["Hetal", "Khushi", "Riddhi", "Janvi", "Krupa", "Dhwani", "Mansi"],
        ["Harsh", "Parth", "Chirag", "Jay", "Nirav", "Dhruv", "Kunal"],
        ["Patel", "Shah", "Mehta", "Desai", "Trivedi", "Parikh", "Joshi"],
        ["Gujarati"],
        ["Ahmedabad", "Mumbai"],
        ["garba"],
    ),
    "hindi_belt": (
        [
            "Neha",
            "Shweta",
            "Pragya",
            "Ritu",
            "Anjali",
            "Kavya",
            "Shalini",
            "Nidhi",
            "Swati",
            "Pallavi",
        ],
        [
            "Rahul",
            "Amit",
            "Vikas",
            "Saurabh",
            "Abhishek",
            "Pankaj",
            "Vivek",
            "Ankit",
            "Manoj",
            "Ravi",
        ],
        [
            "Yadav",
            "Mishra",
            "Tiwari",
            "Pandey",
            "Srivastava",
            "Sinha",
            "Shukla",
            "Dubey",
            "Tripathi",
            "Verma",
        ],
        ["Bhojpuri", "Awadhi", "Maithili"],
        ["Lucknow", "Patna", "Delhi"],
        ["kathak"],
    ),
    "haryana": (
        ["Sonia", "Pooja", "Manisha", "Sakshi", "Preeti", "Kavita"],
        ["Sunil", "Deepak", "Sandeep", "Naveen", "Ajay", "Mohit"],
        ["Malik", "Hooda", "Dahiya", "Sangwan", "Phogat", "Rathee"],
        ["Haryanvi"],
        ["Delhi", "Chandigarh"],
        ["bollywood dance"],
    ),
    "rajasthan": (
        ["Kavita", "Mamta", "Bhavna", "Rekha", "Divya"],
        ["Mahendra", "Vikram", "Bhanu", "Devendra", "Lokesh"],
        ["Rathore", "Shekhawat", "Agarwal", "Chauhan", "Bhati"],
        ["Rajasthani"],
        ["Jaipur"],
        ["kathak"],
    ),
    "south_central": (
        ["Sravani", "Keerthi", "Lavanya", "Sowmya", "Rashmi", "Deepika"],
        ["Naveen", "Srinivas", "Varun", "Karthikeya", "Rakshit", "Prashanth"],
        ["Reddy", "Rao", "Naidu", "Gowda", "Shetty", "Hegde"],
        ["Telugu", "Kannada"],
        ["Hyderabad", "Bengaluru"],
        ["kuchipudi", "bharatanatyam"],
    ),
    "urdu": (
        ["Ayesha", "Zoya", "Sana", "Fatima", "Nazia", "Mehreen", "Rukhsar"],
        ["Imran", "Faisal", "Sameer", "Arif", "Zaid", "Danish", "Aamir"],
        ["Khan", "Sheikh", "Qureshi", "Ansari", "Siddiqui", "Mirza", "Hashmi"],
        ["Urdu"],
        ["Lucknow", "Hyderabad", "Mumbai"],
        ["kathak"],
    ),
    "goa": (
        ["Sharon", "Alisha", "Natasha", "Rochelle", "Tanya"],
        ["Ryan", "Clinton", "Joel", "Darren", "Neil"],
        ["D'Souza", "Fernandes", "Pereira", "Rodrigues", "Gomes"],
        ["Konkani"],
        ["Goa", "Mumbai"],
        ["salsa", "contemporary dance"],
    ),
    "kashmir_ne": (
        ["Mehak", "Insha", "Bidisha", "Nilakshi", "Chumki"],
        ["Aadil", "Rohit", "Partha", "Bikram", "Tenzing"],
        ["Kaul", "Raina", "Bhat", "Borah", "Gogoi", "Baruah"],
        ["Kashmiri", "Assamese"],
        ["Delhi", "Guwahati"],
        ["contemporary dance"],
    ),
}
REGION_WEIGHTS = {
    "maharashtra": 22,
    "hindi_belt": 18,
    "punjab": 9,
    "bengal": 7,
    "gujarat": 7,
    "urdu": 7,
    "tamil": 5,
    "kerala": 5,
    "haryana": 5,
    "rajasthan": 4,
    "south_central": 5,
    "goa": 3,
    "kashmir_ne": 3,
}
GENERAL_SKILLS = {
    "horse riding": 10,
    "swimming": 14,
    "yoga": 10,
    "driving": 12,
    "motorbike riding": 8,
    "karate": 4,
    "kickboxing": 4,
    "boxing": 4,
    "mma": 2,
    "stage combat": 6,
    "sword fighting": 3,
    "wrestling": 2,
    "gymnastics": 3,
    "parkour": 2,
    "cricket": 7,
    "football": 4,
    "tabla": 3,
    "sitar": 2,
    "flute": 2,
    "guitar": 7,
    "piano": 4,
    "dhol": 2,
    "harmonium": 2,
    "hindustani classical singing": 4,
    "playback singing": 5,
    "stand-up comedy": 3,
    "improv": 5,
    "mimicry": 3,
    "voice acting": 5,
    "hip hop": 5,
    "salsa": 2,
    "bollywood dance": 8,
    "contemporary dance": 5,
    "british accent": 3,
    "american accent": 3,
    "mumbaiya accent": 3,
    "scuba diving": 1,
    "juggling": 1,
    "magic": 1,
}
# character type -> (bio sentences, credit roles, Hindi/Hinglish words for it)
ARCHETYPES: dict[str, tuple[list[str], list[str]]] = {
    "cop": (
        [
            "Has played police officers in several crime dramas.",
            "Known for a no-nonsense inspector in a streaming thriller.",
            "Brings real authority to cop roles, from constables to senior inspectors.",
        ],
        ["Inspector", "Sub-Inspector", "Police Constable", "ACP"],
    ),
    "villain": (
        [
            "Best known for menacing villains and cold-blooded antagonists.",
            "Directors cast them as the dangerous heavy; the stare does half the work.",
            "Has played gangsters and ruthless henchmen with quiet menace.",
        ],
        ["Antagonist", "Gang Leader", "Henchman", "Don"],
    ),
    "comic": (
        [
            "A natural comedian with sharp comic timing.",
            "Loved for light-hearted comic roles and sitcom work.",
            "Does physical comedy and quick improvised banter on set.",
        ],
        ["Comic Relief", "Best Friend (comedy)", "Sitcom Lead"],
    ),
    "parent": (
        [
            "Often cast as a warm, protective parent in family dramas.",
            "Plays mothers and fathers with quiet emotional depth.",
            "Has played the hero's parent in two family entertainers.",
        ],
        ["Mother", "Father", "Parent"],
    ),
    "doctor": (
        [
            "Has played doctors in a hospital drama and a medical thriller.",
            "Comfortable with medical jargon from years of playing surgeons.",
        ],
        ["Dr. Mehra", "Surgeon", "Resident Doctor"],
    ),
    "student": (
        [
            "Fresh, youthful screen presence suited to college and school roles.",
            "Has played students in campus web series.",
        ],
        ["College Student", "Hostel Roommate", "Topper"],
    ),
    "romantic": (
        [
            "A romantic lead with an easy, warm screen presence.",
            "Has played the love interest in romantic comedies and music videos.",
        ],
        ["Lead (romance)", "Love Interest"],
    ),
    "soldier": (
        [
            "Has played army officers and soldiers in war dramas.",
            "Military bearing and fitness from playing commandos.",
        ],
        ["Major", "Army Captain", "Commando"],
    ),
    "politician": (
        [
            "Has played scheming politicians and small-town netas.",
            "Plays power-hungry politicians in political dramas.",
        ],
        ["MLA", "Minister", "Party Worker"],
    ),
    "lawyer": (
        [
            "Has played sharp lawyers in courtroom dramas.",
            "Courtroom scenes are a speciality: prosecutors and defence counsel.",
        ],
        ["Advocate", "Public Prosecutor", "Defence Lawyer"],
    ),
    "village": (
        [
            "Rooted, earthy performer who shines in rural stories.",
            "Has played farmers and village folk in rural dramas.",
        ],
        ["Farmer", "Sarpanch", "Village Elder"],
    ),
    "athlete": (
        [
            "Trained athlete who has played sportspeople on screen.",
            "Played a national-level boxer and a cricketer in sports dramas.",
        ],
        ["Boxer", "Cricketer", "Coach"],
    ),
}
TITLE_A = [
    "Khoon",
    "Mumbai",
    "Sapne",
    "Raat",
    "Dil",
    "Shehar",
    "Inspector",
    "Gully",
    "Zindagi",
    "Aakhri",
    "Chandni",
    "Bandish",
    "Sarhad",
    "Kaagaz",
    "Hostel",
    "Mirzapur",
    "Ganga",
]
TITLE_B = [
    "Diaries",
    "Files",
    "Chronicles",
    "Nights",
    "Express",
    "Junction",
    "Returns",
    "Stories",
    "ki Kahani",
    "Calling",
    "Dreams",
    "Squad",
    "2",
    "Wale",
    "Days",
]
AGENCIES = [
    "Casting Bay",
    "Mukesh Chhabra CC",
    "Kaas Talent",
    "Filmy Faces",
    "Open Door Casting",
    "Bombay Talkies Talent",
    "Studio Nine Artists",
    None,
    None,
]


@dataclass
class Truth:
    """What the generator knows about a profile (beyond its public fields)."""

    profile: dict[str, Any]
    archetypes: list[str] = field(default_factory=list)


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def make_profile(rng: random.Random, number: int) -> Truth:
    region = weighted(rng, REGION_WEIGHTS)
    females, males, surnames, native, homes, dances = REGIONS[region]
    gender = rng.choices(["female", "male", "non-binary", "other"], [48, 49, 2, 1])[0]
    first = rng.choice(
        females if gender == "female" else males if gender == "male" else females + males
    )
    name = f"{first} {rng.choice(surnames)}"
    age = int(min(max(rng.gauss(31, 11), 8), 72))
    birth_year = YEAR - age
    roll = rng.random()
    city = (
        "Mumbai"
        if roll < 0.62
        else "Delhi"
        if roll < 0.70
        else "Pune"
        if roll < 0.75
        else rng.choice(homes)
    )
    languages = []
    if rng.random() < 0.92:
        languages.append("Hindi")
    if rng.random() < 0.8:
        languages.append("English")
    for lang in native:
        if rng.random() < (0.85 if lang == native[0] else 0.35):
            languages.append(lang)
    if city == "Mumbai" and "Marathi" not in languages and rng.random() < 0.25:
        languages.append("Marathi")
    if rng.random() < 0.08:
        languages.append(
            rng.choice(["Urdu", "Punjabi", "Gujarati", "Bengali", "French", "Spanish"])
        )
    languages = list(dict.fromkeys(languages)) or ["Hindi"]
    skills: list[str] = []
    if rng.random() < 0.45:
        skills.append(rng.choice(dances))
    for _ in range(rng.randint(1, 4)):
        skills.append(weighted(rng, GENERAL_SKILLS))
    skills = list(dict.fromkeys(skills))
    height = int(rng.gauss(173 if gender == "male" else 161 if gender == "female" else 167, 6.5))
    if age < 16:
        height = int(height - (16 - age) * 5)
    archetypes = rng.sample(list(ARCHETYPES), k=rng.choice([1, 1, 2]))
    if age < 23 and "student" not in archetypes:
        archetypes[0] = "student"
    if age > 45 and rng.random() < 0.5 and "parent" not in archetypes:
        archetypes.append("parent")
    credits = []
    for _ in range(rng.choices([0, 1, 2, 3, 4, 5], [8, 20, 25, 22, 15, 10])[0]):
        arch = rng.choice(archetypes)
        credits.append(
            {
                "title": f"{rng.choice(TITLE_A)} {rng.choice(TITLE_B)}",
                "year": rng.randint(max(2006, birth_year + 6), YEAR),
                "role": rng.choice(ARCHETYPES[arch][1]),
            }
        )
    credits.sort(key=lambda c: c["year"])
    bio = " ".join(
        [_opening(rng, first, city, region, skills)]
        + [rng.choice(ARCHETYPES[a][0]) for a in archetypes]
        + [_closing(rng, languages, skills)]
    )
    profile: dict[str, Any] = {
        "id": f"cm-{number:05d}",
        "name": name,
        "gender": gender,
        "birth_year": birth_year,
        "city": city,
        "languages": languages,
        "skills": skills,
        "height_cm": height,
        "bio": bio,
        "credits": credits
        if rng.random() < 0.7
        else [f"{c['title']} ({c['year']})" for c in credits],
        "agency": rng.choice(AGENCIES),
        "headshot_url": f"https://img.castmatch.example/{number:05d}.jpg"
        if rng.random() < 0.9
        else None,
        "showreel_url": f"https://video.castmatch.example/reel/{number:05d}"
        if rng.random() < 0.55
        else None,
        "consent": rng.random() > 0.03,
        "willing_to_travel": rng.random() < 0.4,
        "instagram": f"@{first.lower()}.{number}" if rng.random() < 0.5 else None,
    }
    # Stated explicitly (as agencies do), so the ground truth does not drift with the calendar.
    spread = (rng.randint(2, 6), rng.randint(2, 6)) if rng.random() < 0.3 else (3, 3)
    profile["playing_age_min"] = max(age - spread[0], 5)
    profile["playing_age_max"] = age + spread[1]
    return Truth({k: v for k, v in profile.items() if v is not None}, archetypes)


def _opening(rng: random.Random, first: str, city: str, region: str, skills: list[str]) -> str:
    trained = rng.choice(
        [
            "NSD graduate",
            "FTII alumnus",
            "theatre actor",
            "screen actor",
            "model turned actor",
            "trained actor",
            "Prithvi Theatre regular",
        ]
    )
    origin = region.replace("_", " ").title()
    return f"{first} is a {city}-based {trained} with roots in {origin}."


def _closing(rng: random.Random, languages: list[str], skills: list[str]) -> str:
    lang = " and ".join(languages[:2])
    if skills and rng.random() < 0.7:
        return f"Comfortable in {lang}; also trained in {skills[0]}."
    return f"Works comfortably in {lang}."


def playing_range(p: dict[str, Any]) -> tuple[int, int]:
    return p["playing_age_min"], p["playing_age_max"]


def matches(truth: Truth, cond: dict[str, Any]) -> bool:
    p = truth.profile
    if not p.get("consent", True):
        return False
    low, high = playing_range(p)
    checks = [
        "gender" not in cond or p.get("gender") == cond["gender"],
        "age" not in cond or (high >= cond["age"][0] and low <= cond["age"][1]),
        "city" not in cond or p.get("city") == cond["city"],
        "language" not in cond or cond["language"] in p.get("languages", []),
        "skill" not in cond or cond["skill"] in p.get("skills", []),
        "height_min" not in cond or p.get("height_cm", 0) >= cond["height_min"],
        "showreel" not in cond or bool(p.get("showreel_url")),
        "archetype" not in cond or cond["archetype"] in truth.archetypes,
    ]
    return all(checks)


# (template, language of phrasing, conditions template). {x} fields are filled below.
TEMPLATES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "{g_en} actors in {city} aged {lo}-{hi} who speak {lang}",
        "en",
        {"gender", "city", "age", "language"},
    ),
    (
        "actors in Mumbai aged {lo}-{hi} who speak {lang} and can do {skill}",
        "en",
        {"city=Mumbai", "age", "language", "skill"},
    ),
    ("{g_en} who can do {skill}", "en", {"gender", "skill"}),
    ("{skill} trained {g_en} over {height} cm", "en", {"skill", "gender", "height_min"}),
    ("someone who can play {arch_en}", "en", {"archetype"}),
    (
        "{g_en} in {poss} {decade}s who has played {arch_en}",
        "en",
        {"gender", "decade", "archetype"},
    ),
    (
        "{lang} speaking actor for {arch_en}, with a showreel",
        "en",
        {"language", "archetype", "showreel"},
    ),
    (
        "Mumbai mein {lo}-{hi} saal ki {lang} bolne wali ladki",
        "hinglish",
        {"city=Mumbai", "age", "language", "gender=female"},
    ),
    ("{skill} jaanne wala ladka {city} se", "hinglish", {"skill", "gender=male", "city"}),
    (
        "{lang} bolne wala aadmi {mid} ke aas paas",
        "hinglish",
        {"language", "gender=male", "around"},
    ),
    ("koi {arch_hi} jo {lang} bolta ho", "hinglish", {"archetype", "language"}),
    ("{lang_hi} बोलने वाली लड़की {lo} से {hi} साल", "hi", {"language", "gender=female", "age"}),
    ("{city_hi} की लड़की जो {skill} कर सके", "hi", {"city", "gender=female", "skill"}),
    ("{lang_mr} बोलणारी मुलगी {lo} ते {hi} वर्षांची", "mr", {"language", "gender=female", "age"}),
    ("{city_hi} मधला मुलगा जो {skill} करू शकतो", "mr", {"city", "gender=male", "skill"}),
]
ARCH_EN = {
    "cop": "a tough police inspector",
    "villain": "a menacing villain",
    "comic": "a comic role with great timing",
    "parent": "a caring mother or father",
    "doctor": "a doctor in a hospital drama",
    "soldier": "an army officer",
    "politician": "a scheming politician",
    "lawyer": "a courtroom lawyer",
    "village": "a farmer in a rural drama",
    "athlete": "a sportsperson",
    "romantic": "a romantic lead",
    "student": "a college student",
}
ARCH_HI = {
    "cop": "police wala role",
    "villain": "villain type actor",
    "comic": "comedy karne wala",
    "parent": "maa ya baap ka role",
    "doctor": "doctor ka role",
    "soldier": "fauji ka role",
    "politician": "neta ka role",
    "lawyer": "vakil ka role",
    "village": "gaon wala role",
    "athlete": "khiladi ka role",
    "romantic": "romantic lead",
    "student": "college student",
}
LANG_HI = {
    "Marathi": "मराठी",
    "Hindi": "हिंदी",
    "Bhojpuri": "भोजपुरी",
    "Punjabi": "पंजाबी",
    "Gujarati": "गुजराती",
    "Bengali": "बंगाली",
    "Tamil": "तमिल",
    "Urdu": "उर्दू",
    "Haryanvi": "हरियाणवी",
    "English": "अंग्रेज़ी",
}
CITY_HI = {"Mumbai": "मुंबई", "Delhi": "दिल्ली", "Pune": "पुणे", "Lucknow": "लखनऊ", "Kolkata": "कोलकाता"}
SKILL_POOL = [
    "kathak",
    "horse riding",
    "swimming",
    "lavani",
    "bhangra",
    "yoga",
    "guitar",
    "karate",
    "bharatanatyam",
    "driving",
    "boxing",
    "stage combat",
    "cricket",
    "improv",
    "voice acting",
]


def build_eval(rng: random.Random, truths: list[Truth], wanted: int = 64) -> list[dict[str, Any]]:
    queries: list[dict[str, Any]] = []
    seen: set[str] = set()
    per_template = -(-wanted // len(TEMPLATES))
    for template, lang, spec in TEMPLATES:
        made, tries = 0, 0
        while made < per_template and tries < 400:
            tries += 1
            fill, cond = _fill(rng, spec)
            text = template.format(**fill)
            if text in seen:
                continue
            expected = [t.profile["id"] for t in truths if matches(t, cond)]
            ceiling = 400 if spec == {"archetype"} else 80  # a pure character query is broad
            if not 3 <= len(expected) <= ceiling:  # answerable, and specific enough to measure
                continue
            seen.add(text)
            queries.append({"query": text, "lang": lang, "conditions": cond, "expected": expected})
            made += 1
    return queries


def _fill(rng: random.Random, spec: set[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    gender = rng.choice(["female", "male"])
    lo = rng.choice([18, 20, 22, 25, 28, 30, 35, 40, 45])
    hi = lo + rng.choice([5, 7, 10])
    decade = rng.choice([20, 30, 40, 50])
    mid = rng.choice([30, 35, 40, 45, 50])
    lang = rng.choice(list(LANG_HI))
    city = rng.choice(list(CITY_HI))
    skill = rng.choice(SKILL_POOL)
    arch = rng.choice(list(ARCH_EN))
    height = (
        rng.choice([165, 170, 175, 180]) if gender == "male" else rng.choice([158, 162, 165, 168])
    )
    fill = {
        "g_en": "women" if gender == "female" else "men",
        "poss": "her" if gender == "female" else "his",
        "lo": lo,
        "hi": hi,
        "decade": decade,
        "mid": mid,
        "lang": lang,
        "lang_hi": LANG_HI[lang],
        "lang_mr": LANG_HI[lang],
        "city": city,
        "city_hi": CITY_HI[city],
        "skill": skill,
        "arch_en": ARCH_EN[arch],
        "arch_hi": ARCH_HI[arch],
        "height": height,
    }
    cond: dict[str, Any] = {}
    for item in spec:
        key, _, value = item.partition("=")
        if key == "gender":
            cond["gender"] = value or gender
        elif key == "city":
            cond["city"] = value or city
        elif key == "age":
            cond["age"] = [lo, hi]
        elif key == "decade":
            cond["age"] = [decade, decade + 9]
        elif key == "around":
            cond["age"] = [mid - 3, mid + 3]
        elif key == "language":
            cond["language"] = lang
        elif key == "skill":
            cond["skill"] = skill
        elif key == "height_min":
            cond["height_min"] = height + 1
        elif key == "showreel":
            cond["showreel"] = True
        elif key == "archetype":
            cond["archetype"] = arch
    return fill, cond


def embed(profiles: list[dict[str, Any]]) -> np.ndarray:
    sys.path.insert(0, str(ROOT))
    from bot.embedding import E5Embedder
    from talent.profile import TalentRecord

    embedder = E5Embedder()
    texts = [TalentRecord.model_validate(p).passage() for p in profiles]
    out, started = [], time.perf_counter()
    for offset in range(0, len(texts), 64):
        out.append(embedder.passages_sync(texts[offset : offset + 64]))
        done = offset + len(out[-1])
        rate = done / (time.perf_counter() - started)
        print(f"\rembedding {done}/{len(texts)} ({rate:.0f}/s)", end="", file=sys.stderr)
    print(file=sys.stderr)
    return np.vstack(out).astype(np.float16)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2400)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--no-embed", action="store_true", help="skip the embeddings (fast)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    truths = [make_profile(rng, n) for n in range(1, args.count + 1)]
    profiles = [t.profile for t in truths]
    evaluation = build_eval(random.Random(args.seed + 1), truths)
    args.out.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in profiles)
    (args.out / "sample_catalogue.jsonl.gz").write_bytes(
        gzip.compress(lines.encode(), mtime=0)  # mtime 0: same seed, same bytes
    )
    with (args.out / "sample_eval.jsonl").open("w", encoding="utf-8") as handle:
        for item in evaluation:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(profiles)} profiles, {len(evaluation)} labelled queries", file=sys.stderr)
    if not args.no_embed:
        np.save(args.out / "sample_vectors.npy", embed(profiles))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
