"""The words the query parser reads: gender words, number words, age words, glosses and
filler, in English, Hindi, Marathi and Hinglish (Devanagari and romanised).

Sources: standard Hindi and Marathi dictionary forms and their usual Hunterian
romanisations, English number words; never the wording of an evaluation query.
"""

from __future__ import annotations

import re

# Feminine agent nouns say a woman as well as a profession (Hindi/Marathi -इका, -ई, -त्री,
# -ईण; English -ess, -enne, -woman: McGregor's Outline of Hindi Grammar, the Oxford
# dictionary); the masculine ones (गायक, "singer") serve for anyone and say nothing
FEMININE_AGENTS = (
    *("गायिका", "गायिकाएं", "गायिकाएँ", "गायिकाओं", "gayika", "gaayika", "पार्श्वगायिका"),
    *("नर्तकी", "नर्तकियां", "नर्तकियाँ", "नर्तिका", "nartaki", "nartika", "नृत्यांगना"),
    *("लेखिका", "लेखिकाएं", "lekhika", "निर्देशिका", "nirdeshika", "दिग्दर्शिका", "digdarshika"),
    *("निर्मात्री", "निर्माती", "nirmatri", "निवेदिका", "सूत्रसंचालिका", "प्रस्तोत्री"),
    *("कवयित्री", "kavayitri", "अध्यापिका", "शिक्षिका"),
    *("comedienne", "comediennes", "songstress", "songstresses", "danseuse", "ballerina"),
    *("anchorwoman", "authoress", "poetess", "chairwoman", "spokeswoman", "policewoman"),
)
# The words for actress/actor, woman/man and girl/boy in Bengali, Gujarati, Punjabi, Tamil,
# Telugu, Kannada and Malayalam, in their own scripts and as usually romanised (Wiktionary,
# the translation tables of "actress", "actor", "woman", "man", "girl" and "boy")
FEMALE_INDIC = (
    *("অভিনেত্রী", "অভিনেত্রীরা", "মহিলা", "নারী", "মেয়ে", "obhinetri", "ovinetri", "mohila"),
    *("અભિનેત્રી", "અભિનેત્રીઓ", "સ્ત્રી", "મહિલા", "છોકરી"),
    *("ਅਦਾਕਾਰਾ", "ਅਭਿਨੇਤਰੀ", "ਔਰਤ", "ਕੁੜੀ"),
    *("நடிகை", "நடிகைகள்", "பெண்", "பெண்கள்", "nadigai", "nadigaigal"),
    *("నటి", "నటీమణి", "నటీమణులు", "మహిళ", "స్త్రీ", "అమ్మాయి", "natimani"),
    *("ನಟಿ", "ನಟಿಯರು", "ಮಹಿಳೆ", "ಹೆಂಗಸು", "ಹುಡುಗಿ", "mahile", "hengasu"),
    *("നടി", "നടിമാർ", "സ്ത്രീ", "പെൺകുട്ടി", "nadi", "penkutty", "penkutti"),
)
MALE_INDIC = (
    *("অভিনেতা", "অভিনেতারা", "পুরুষ", "ছেলে", "obhineta", "ovineta"),
    *("અભિનેતા", "પુરુષ", "છોકરો", "chhokro", "chokro"),
    *("ਅਦਾਕਾਰ", "ਅਭਿਨੇਤਾ", "ਆਦਮੀ", "ਮੁੰਡਾ"),
    *("நடிகர்", "நடிகர்கள்", "ஆண்", "ஆண்கள்", "nadigar", "nadigargal"),
    *("నటుడు", "నటులు", "పురుషుడు", "అబ్బాయి", "natudu"),
    *("ನಟ", "ನಟರು", "ಗಂಡಸು", "ಪುರುಷ", "ಹುಡುಗ", "gandasu"),
    *("നടൻ", "നടന്മാർ", "പുരുഷൻ", "ആൺകുട്ടി", "nadan"),
)
# Family words of parts in Hindi and Marathi with a gender (McGregor's Hindi-English
# dictionary, Molesworth's Marathi dictionary): daughter-in-law, mother-in-law, husband's
# sister, mother (Marathi "आई"; "amma", "ammi"), and the respectful "-ji" forms; the men's
FEMALE_KIN = (
    *("bahu", "बहू", "bahurani", "saas", "सास", "nanad", "ननद", "aai", "आई", "amma", "ammi"),
    # the father's sister (बुआ, Urdu फूफी/phuphi) and the mother's sister as also typed
    # ("maasi"), and the respectful "<kin> ji" typed apart (McGregor)
    *("bua", "buaa", "buaji", "बुआ", "phuphi", "phupho", "phuphee", "फूफी", "maasi", "मासी"),
    *("dadi ji", "nani ji", "दादी जी", "नानी जी"),
    *("अम्मा", "mummy", "mataji", "माताजी", "dadiji", "दादीजी", "naniji", "नानीजी", "bhabhiji"),
    # a villainess (McGregor: खलनायिका)
    *("खलनायिका", "khalnayika"),
    # a brother's wife (McGregor: भाभी; Molesworth: वहिनी), in Devanagari and typed
    *("भाभी", "भाभीजी", "भाभी जी", "bhabhi ji", "bhaabhi", "वहिनी", "vahini", "vahinee"),
    # the rest of the women's family words of Hindi and Marathi kinship (McGregor, Molesworth;
    # the family members listed in Wiktionary's "hi:Family members" and "mr:Family members"):
    # wife, husband's brothers' wives, sister, elder sister, aunts, niece, granddaughter,
    # daughter, bride, in Devanagari and as typed ("saali" is left out: also an oath)
    *("patni", "पत्नी", "biwi", "बायको", "bayko", "jethani", "जेठानी", "devrani", "देवरानी"),
    *("jiji", "जीजी", "दीदी", "बहीण", "bahin", "akka", "अक्का", "आक्का", "chachi ji", "चाची"),
    *("mami", "मामी", "मौसी", "kaki", "काकी", "maushi", "mavshi", "atya", "नणंद"),
    *("सासू", "सासूबाई", "सून", "भतीजी", "भांजी", "भाची", "पुतणी", "पोती", "नात", "लेक"),
    *("dulhan", "दुल्हन", "vadhu", "वधू", "navri", "नवरी"),
    # English words for a woman's relative or partner (Oxford)
    *("girlfriend", "girlfriends", "stepmother", "stepmothers", "stepdaughter", "stepsister"),
    *("godmother", "fiancee", "fiancée"),
    # women's family words in Tamil, Telugu, Kannada, Malayalam and Bengali, as usually
    # romanised (Wiktionary's translations of mother, grandmother, aunt, sister, brother's
    # wife; "chithi", "atta" left out: Hindi "chitthi" letter, "atta" flour)
    *("ammamma", "ammoomma", "nanamma", "paati", "paatti", "ammachi", "pinni", "periyamma"),
    *("chikkamma", "doddamma", "peddamma", "valiamma", "chittamma", "chechi", "aniyathi"),
    *("thangachi", "thangai", "chelli", "chellelu", "tangi", "mashi", "maashi", "mashima"),
    *("pishi", "pishima", "kakima", "jethima", "boudi", "dida", "thakuma", "thakurma"),
    # a Bengali lady (Samsad: ভদ্রমহিলা) and a housewife (McGregor, Molesworth: गृहिणी)
    *("bhadramahila", "ভদ্রমহিলা", "गृहिणी", "grihini", "sethani", "सेठानी", "sardarni"),
    # English nouns of a woman's trade (Oxford), and the courtesan (McGregor: तवायफ़ f.)
    *("waitress", "stewardess", "headmistress", "landlady", "maid", "maids", "priestess"),
    *("courtesan", "tawaif", "तवायफ़", "तवायफ"),
)
MALE_KIN = (
    *("sasur", "ससुर", "devar", "देवर", "dadaji", "दादाजी", "nanaji", "नानाजी", "pitaji"),
    *("dada ji", "nana ji", "दादा जी", "नाना जी", "phupha", "फूफा", "mausa", "मौसा"),
    *("पिताजी", "papa", "पापा", "babuji", "बाबूजी", "bhaiyya", "bhaisaab"),
    # the men's, as above: husband, sister's husband, son-in-law, uncles, husband's younger
    # brother, father-in-law, nephews, grandsons, bridegroom ("saala" left out: also an oath;
    # "mama", "baba" typed in Latin letters are also English "mother" and a holy man)
    *("pati", "पति", "पती", "shauhar", "शौहर", "navra", "नवरा", "jija", "jijaji", "जीजा"),
    *("damad", "दामाद", "jamai", "जमाई", "jawai", "जावई", "tauji", "tau ji", "ताऊ", "ताऊजी"),
    *("kaka", "चाचा", "मामा", "बाबा", "दीर", "सासरे", "भतीजा", "भांजा", "भाचा", "पुतण्या"),
    *("पोता", "नातू", "dulha", "दूल्हा", "navardev", "नवरदेव"),
    # English (Oxford)
    *("boyfriend", "boyfriends", "stepfather", "stepfathers", "stepson", "stepbrother"),
    # men's family words in Tamil, Telugu, Kannada, Malayalam and Bengali, as above ("anna",
    # elder brother, left out: also a woman's name; Bengali "kaku" is Marathi's aunt)
    *("appa", "appaji", "nanna", "achan", "achhan", "appachan", "thatha", "thaatha"),
    *("tatayya", "ajja", "appooppan", "muthachan", "periyappa", "chithappa", "chikkappa"),
    *("doddappa", "peddananna", "babai", "mavayya", "valiachan", "chittappan", "ammavan"),
    *("thambi", "tammudu", "chettan", "chetta", "aniyan", "dadu", "jethu", "aajoba"),
    # a Bengali gentleman (Samsad: ভদ্রলোক), a Sikh gentleman and a merchant (McGregor:
    # सरदार, सेठ), Hindu and Muslim priests (McGregor: पंडित, पुजारी, पुरोहित, मौलवी, all m.;
    # the English "priest", beside "priestess"), as parts are named
    *("bhadralok", "ভদ্রলোক", "sardarji", "सरदारजी", "sethji", "सेठजी", "nawab", "नवाब"),
    *("priest", "priests", "pandit", "pandits", "panditji", "pandit ji", "पंडित", "पंडितजी"),
    *("पंडित जी", "pujari", "पुजारी", "purohit", "पुरोहित", "maulvi", "maulana", "मौलवी"),
    # English -man nouns of a man's trade (Oxford), as parts are named
    *("henchman", "henchmen", "watchman", "watchmen", "postman", "milkman", "fisherman"),
    *("fishermen", "boatman", "doorman", "cameraman", "salesman", "fireman", "gunman"),
    *("gunmen", "hitman", "clergyman", "nobleman", "workman", "handyman", "conman"),
)
FEMALE = (
    "female",
    "females",
    "woman",
    "women",
    "girl",
    "girls",
    "lady",
    "ladies",
    "actress",
    "actresses",
    "heroine",
    "she",
    "her",
    "mother",
    "ladki",
    "ladkiyan",
    "ladkiya",
    "ladkiyon",
    "aurat",
    "auratein",
    "aurton",
    "mahila",
    "mahilayen",
    "kudi",
    "kudiyan",
    # family words for an older woman or man, as parts are described in Hinglish
    # ("nani", "nana", "dada" are left out: they are also actors' names)
    *("aunty", "aunties", "dadi", "bhabhi", "chachi", "mausi", "behen", "didi"),
    "कुड़ी",
    "कुडी",
    # more standard words for a woman/actress/heroine (Hindi, Urdu, Marathi) and romanised forms
    *("नायिका", "nayika", "अदाकारा", "adakara", "तरुणी", "पोरगी", "chhokri", "ladkiyaan"),
    "लड़की",
    "लड़कियां",
    "लड़कियाँ",
    "लड़कियों",
    "लडकी",
    "औरत",
    "औरतें",
    "महिला",
    "मुलगी",
    "मुली",
    "स्त्री",
    "अभिनेत्री",
    "अभिनेत्रियाँ",
    "अभिनेत्रियां",
    "अभिनेत्रियों",
    "हीरोइन",
    "हिरोईन",
    "बाई",
    "बायका",
    "नटी",
    "heroines",
    *("daughter", "daughters", "sister", "sisters", "wife", "wives", "niece", "nieces"),
    *("granddaughter", "beti", "बेटी", "बहन"),
    # Hindi "बहन" (sister) and "बेटी" in the plural and oblique (McGregor's paradigms), typed too
    *("बहनें", "बहनों", "बेटियां", "बेटियाँ", "बेटियों", "behenein", "behnein", "behnen", "bahnen"),
    *("behene", "betiyan", "betiyaan", "betiyon", "bahen", "behan"),
    "womens",
    "ladies",
    # the Devanagari words above as they are typed in Hinglish (Hunterian romanisation)
    *("abhinetri", "abhinetriyan", "abhinetriyaan", "abhinetriyon", "mulgi"),
    *("mahilaon", "stree", "stri", "auratain", "auraton", "auraten", "aurtein", "aurten"),
    # more English nouns for a woman (Oxford dictionary), incl. the family words of parts
    *("gal", "gals", "lass", "lasses", "mom", "mum", "moms", "mothers", "grandmother"),
    *("grandma", "granny", "aunt", "aunts", "hostess", "businesswoman", "sportswoman"),
    *("starlet", "starlets", "diva", "divas", "queen", "queens", "princess"),
    # Hindi dictionary words for a (young) woman and their plural/oblique forms (McGregor's
    # Hindi-English dictionary paradigms), Devanagari and romanised
    *("bandi", "bandiyan", "chhori", "yuvati", "युवती", "nari", "नारी", "maa", "माँ", "मां"),
    *("महिलाएं", "महिलाएँ", "महिलाओं", "औरतों", "स्त्रियां", "स्त्रियाँ", "स्त्रियों", "स्त्रिया"),
    *("नायिकाएं", "नायिकाओं", "हीरोइनें", "हीरोइनों"),
    # the everyday word for a girl in Telugu, Tamil, Kannada and Bengali, romanised
    *("ammayi", "ammayilu", "ponnu", "hudugi", "meye"),
    # texting spellings of "girl" (Wiktionary: "gurl", eye dialect; "grl", abbreviation)
    *("grl", "grls", "gurl", "gurls"),
    # Marathi plurals of feminine nouns in -ई/-ी take -या (नटी -> नट्या, बाई -> बाया), and
    # the -ई nouns' oblique plural -ीं- (standard Marathi grammar, e.g. Damle's व्याकरण)
    *("नट्या", "अभिनेत्र्या", "बाया", "नट्यां", "अभिनेत्रीं", "मुलीं"),
    *("bai", "baai", "baya", "nati"),  # the Marathi words above, romanised
    # family words of parts in Hindi and Marathi (grandmother, aunts, elder sister), and
    # English nouns for a woman's part (Oxford)
    *("दादी", "आजी", "aaji", "ajji", "मावशी", "काकू", "आत्या", "ताई", "tai"),
    *("matriarch", "widow", "widows", "bride", "brides", "housewife", "housewives", "nun"),
    # more English nouns for women (Oxford; "memsahib" Indian English for a lady)
    *("womenfolk", "spinster", "damsel", "matron", "tomboy", "memsahib", "memsaab", "memsahab"),
    # Urdu and Persian words for a woman or lady, and the adjective "of women" (Platts, A
    # Dictionary of Urdu, Classical Hindi and English: ख़ातून, ख़वातीन (plural), मोहतरमा,
    # बेगम, साहिबा, बीबी, ज़नाना), in Devanagari and the usual romanisations
    *("khatoon", "khatun", "ख़ातून", "खातून", "khawateen", "khwateen", "khawatin", "ख़वातीन"),
    *("खवातीन", "mohtarma", "muhtarma", "मोहतरमा", "begum", "begam", "बेगम", "sahiba"),
    *("saheba", "साहिबा", "bibi", "बीबी", "zanana", "zenana", "ज़नाना", "जनाना"),
    *FEMININE_AGENTS,
    *FEMALE_INDIC,
    *FEMALE_KIN,
)
MALE = (
    "male",
    "males",
    "man",
    "men",
    "boy",
    "boys",
    "guy",
    "guys",
    "gentleman",
    "gentlemen",
    "hero",
    "he",
    "his",
    "him",
    "father",
    "ladka",
    "ladke",
    "ladkon",
    "aadmi",
    "admi",
    "purush",
    "mard",
    "banda",
    "bande",
    "munda",
    *("uncle", "uncles", "chacha", "bhaiya", "aadmiyon", "admiyon"),
    "munde",
    "मुंडा",
    "मुंडे",
    *("नायक", "nayak", "अदाकार", "adakar", "पोरगा", "chhokra", "ladkon"),
    "लड़का",
    "लड़के",
    "लडका",
    "आदमी",
    "पुरुष",
    "मुलगा",
    "मुलगे",
    "अभिनेता",
    "अभिनेते",
    "अभिनेताओं",
    "हीरो",
    "हिरो",
    "माणूस",
    "नट",
    "heroes",
    *("son", "sons", "brother", "brothers", "husband", "husbands", "nephew", "nephews"),
    *("grandson", "beta", "बेटा", "भाई"),
    # romanised as above
    *("abhineta", "abhinete", "abhinetaon", "mulga", "mulge", "purushon", "mardon"),
    # more English nouns for a man (Oxford dictionary), incl. the family words of parts
    *("gents", "gent", "lad", "lads", "fellas", "chap", "chaps", "dad", "dads", "fathers"),
    *("grandfather", "grandpa", "businessman", "sportsman", "hunk", "hunks", "dude", "dudes"),
    # Marathi "माणूस" and Hindi "भाई" as typed in Hinglish
    *("manus", "maanus", "manoos", "bhai"),
    # Hindi, as above
    *("yuvak", "युवक", "naujawan", "नौजवान", "chhora", "baap", "pita", "पिता"),
    *("पुरुषों", "लड़कों", "आदमियों", "नायकों"),
    # Marathi family words of parts (grandfather, father, uncle, brother); English (Oxford)
    *("आजोबा", "ajoba", "वडील", "काका", "भाऊ", "patriarch", "widower", "bridegroom", "groom"),
    *("king", "kings", "prince", "princes", "monk"),
    # "मर्द" as Hindi writes "mard"; English -man agent nouns (Oxford)
    *("मर्द", "मर्दों", "anchorman", "chairman", "policeman", "spokesman"),
    # the everyday word for a boy in Telugu, Tamil, Kannada and Bengali, romanised
    *("abbayi", "abbayilu", "paiyan", "huduga", "chhele"),
    # Urdu and Persian words for a gentleman and the adjective "of men" (Platts: जनाब,
    # साहब/साहिब, मर्दाना); "funnyman" is a male comedian (Oxford)
    *("janab", "jenab", "जनाब", "sahab", "saheb", "sahib", "साहब", "साहेब", "साहिब"),
    *("mardana", "मर्दाना", "funnyman", "funnymen", "menfolk"),
    *MALE_INDIC,
    *MALE_KIN,
)
# English kinship nouns: "daughter of an actor" is a woman; the relative after "of" is not
# the person asked for, so their "actor" says nothing about gender
KIN = ("daughter", "son", "wife", "husband", "sister", "brother", "niece", "nephew")
# ... and parents, aunts and uncles: "mother of the hero" is a woman, the hero someone else
KIN += ("mother", "father", "aunt", "uncle", "mom", "dad")
KIN_OF = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:grand)?(?:" + "|".join(KIN) + r")s?\s+of\s+([^,;.]*)"
)
# A child's age is not the person's: "with a 10 year old daughter", "has 3-year-old twins",
# "jiski 10 saal ki beti", "mother of a 5 year old", "whose son is 25 years old" (English
# kinship and childhood nouns; Hindi बेटा/बेटी/बच्चा and जिसकी "whose", McGregor). Only after
# a word of having, a parent's "of" or "whose": "the role of a 60 year old mother" and "a 10
# year old girl" are the part asked for.
_CHILD = ("son", "daughter", "brother", "sister", "niece", "nephew", "child", "children")
_CHILD += ("kid", "kids", "baby", "babies", "toddler", "twins", "grandchild", "grandchildren")
_CHILD += ("beta", "beti", "bachcha", "bachche", "bachchi", "बेटा", "बेटी", "बच्चा", "बच्चे", "बच्ची")
_AGE_SAID = r"\d{1,2}[\s-]*(?:years?|yrs?|y/?o|saal|sal|साल)(?:[\s-]*old)?"
_A = r"(?:(?:a|an|one|two|three|her|his|their|ek|एक|do|दो)\s+)?"
# Hindi "whose" (जिसका/जिसकी/जिसके, plural जिनका/…; McGregor), written and as typed
WHOSE_HI = ("jiska", "jiski", "jiske", "jinka", "jinki", "jinke")
WHOSE_HI += ("जिसका", "जिसकी", "जिसके", "जिनका", "जिनकी", "जिनके")
_HAVING = r"(?:with|has|have|having|" + "|".join(WHOSE_HI) + r")\s+"
_CHILD_NOUN = r"(?:grand)?(?:" + "|".join(_CHILD) + r")s?"
CHILD_AGED = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:"
    + _HAVING + _A + _AGE_SAID + r"(?:\s+(?:ki|ka|ke|की|का|के))?[\s-]*" + _CHILD_NOUN
    + r"|(?:mother|father|parent|mom|mum|dad)s?\s+of\s+" + _A + _AGE_SAID
    + r"(?:[\s-]*" + _CHILD_NOUN + r")?"
    + r"|whose\s+" + _CHILD_NOUN + r"\s+(?:is|are)\s+" + _AGE_SAID
    + r")(?![\w\u0900-\u0DFF])"
)  # fmt: skip
# Hindi and Marathi nouns for relatives (McGregor's Oxford Hindi-English Dictionary,
# Molesworth's Marathi-English Dictionary), as written and as typed: "director ki beti" is
# the director's daughter, "जिसके पिता अभिनेता हैं" one whose father is an actor
KIN_INDIC = (
    *("beti", "beta", "bete", "putri", "putra", "patni", "pati", "biwi", "shohar", "bahu"),
    *("maa", "pita", "papa", "bhai", "behen", "bahen", "pota", "poti", "nati", "natin"),
    *("bhatija", "bhatiji", "bhanja", "bhanji", "damad"),
    *("बेटी", "बेटा", "बेटे", "पुत्री", "पुत्र", "पत्नी", "पति", "बीवी", "बहू", "माँ", "मां"),
    *("पिता", "पापा", "भाई", "बहन", "पोता", "पोती", "नाती", "नातिन", "भतीजा", "भतीजी", "दामाद"),
    *("मुलगी", "मुलगा", "नवरा", "बायको", "आई", "वडील", "बहीण", "भाऊ", "सून", "नात", "नातू"),
    *("पुतणी", "पुतण्या", "जावई"),
)
# The lead's age when the part is their relative: "need the dad for a 25 yr old lead",
# "hero ki maa, hero 30 saal ka", "25 saal ke hero ki maa", "२५ वर्षांच्या हिरोच्या आईची
# भूमिका" (Hindi/Marathi genitives का/की/के, च्या; Marathi वर्ष, year: McGregor, Molesworth)
_LEAD = r"(?:lead|hero|heroine|protagonist|हीरो|हिरो|हीरोइन|हिरोईन|नायक|नायिका)"
_YEARS_OF = r"\d{1,2}[\s-]*(?:years?|yrs?|y/?o|saal|sal|साल|वर्ष[\u0900-\u0DFF]*)(?:[\s-]*old)?"
_PARENT = r"(?:dad|father|mother|mom|mum|parent|papa|maa|uncle|aunt|sister|brother|friend)"
_KIN_AFTER = r"(?:" + "|".join(KIN_INDIC) + r"|" + _PARENT + r")[\u0900-\u0DFF]*"
_OF_LEAD = r"(?:\s*(?:ki|ke|ka|की|के|का)\s+|च्या\s*)"
LEAD_OF_KIN = re.compile(r"(?<![\w\u0900-\u0DFF])(" + _LEAD + r")" + _OF_LEAD + _KIN_AFTER)
LEAD_AGED = (
    # the lead's clause, once a kin of the lead is the part: "hero 30 saal ka (hai)"
    r"(?<![\w\u0900-\u0DFF])(?:{lead})(?:\s+(?:is|का|की|ki|ka))?\s+"
    + _YEARS_OF
    + r"(?:\s*(?:ka|ki|ke|का|की|के))?(?:\s*(?:hai|है|आहे|aahe))?(?![\w\u0900-\u0DFF])"
)
AGED_LEAD = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:"
    # "25 saal ke hero ki maa", "२५ वर्षांच्या हिरोच्या आईची" (the kin word stays: the part)
    + _YEARS_OF + r"(?:\s*(?:ke|ki|ka|के|की|का))?\s+" + _LEAD + _OF_LEAD + r"(?=" + _KIN_AFTER + ")"
    # "the dad for a 25 yr old lead", "a mother to a 20-year-old hero"
    + r"|" + _PARENT + r"s?\s+(?:for|to|of)\s+(?:an?|the|our)\s+" + _YEARS_OF + r"[\s-]*" + _LEAD
    + r"(?![\w\u0900-\u0DFF]))"
)  # fmt: skip
# "actor" beside "actress" names a man (as the source lists "Indian film actors" and
# "...actresses" apart), but only when no other word gives the gender: "female actor" is a woman
# Marathi "तरुण" is a young man but also the adjective "young" ("तरुण अभिनेत्री")
WEAK_MALE = ("actor", "तरुण")
# the villain, a masculine noun also said of a part for anyone (McGregor: खलनायक m.;
# the feminine खलनायिका is a woman's)
WEAK_MALE += ("खलनायक", "khalnayak")
# Hindi/Marathi verbs and participles agree with the person's gender; the feminine forms
# ("बोलने वाली", "काम करणारी", "पुरस्कार मिळालेली", "kar chuki") say a woman when no noun
# does (the masculine ones also serve for anyone, so they say nothing). Standard grammar;
# only the participles that describe the person, not a habitual verb ("karti hai").
WEAK_FEMALE = ("वाली", "wali", "waali", "chuki", "चुकी")
# ... and "can" in the feminine ("bol sakti", "गा सकती"), Marathi "wanted" agreeing with a
# feminine noun ("हवी", typed "havi"; masculine "हवा" is also "air", so says nothing)
WEAK_FEMALE += ("sakti", "सकती", "हवी", "havi", "havee")
# Marathi feminine participles: "-णारी" (who does), "-लेली" (who has done)
WEAK_FEMALE_ENDINGS = ("णारी", "लेली")
NON_BINARY = ("non-binary", "nonbinary", "non binary", "genderqueer", "genderfluid")

# Ages in Bengali, Gujarati, Punjabi, Tamil, Telugu, Kannada and Malayalam (Wiktionary, the
# translation tables of "year"/"age", "from" and "above"): "বয়স ৩০ থেকে ৪০", "வயது 25 முதல்
# 35", "50 വയസ്സിന് മുകളിൽ" (over 50). The number comes first, the word after it.
INDIC_YEARS = (
    *("বছর", "বছরের", "বয়স", "વર્ષ", "વર્ષની", "ਸਾਲ", "ਸਾਲਾਂ", "வயது", "வயதுக்கு", "ஆண்டு"),
    *("సంవత్సరాలు", "ఏళ్ల", "ఏళ్లు", "ವರ್ಷ", "ವರ್ಷದ", "ವಯಸ್ಸು", "വയസ്സ്", "വയസ്സിന്", "വയസ്"),
)
INDIC_FROM = ("থেকে", "થી", "ਤੋਂ", "முதல்", "నుండి", "నుంచి", "ರಿಂದ", "മുതൽ")
# ... romanised, as typed in chats (only ever read between two numbers)
INDIC_YEARS += ("bochhor", "bochor", "varsha", "varsham", "varshangal", "varsh")
INDIC_FROM += ("theke", "thi", "ton", "muthal", "mudhal", "nundi", "nunchi", "rinda")
# the word "age" before its number, in those scripts and romanised ("vayasu 25")
INDIC_AGE = (
    *("বয়স", "boyosh", "boyos", "વય", "ઉંમર", "ਉਮਰ", "வயது", "vayathu", "vayadhu"),
    *("వయస్సు", "vayasu", "vayassu", "ವಯಸ್ಸು", "vayassu", "വയസ്സ്", "vayass"),
)
INDIC_ABOVE = (
    *(r"এর\s*বেশি", "ঊর্ধ্ব", r"થી\s*વધુ", r"થી\s*ઉપર", r"ਤੋਂ\s*ਵੱਧ", r"ਤੋਂ\s*ਉੱਪਰ"),
    *("மேல்", "மேற்பட்ட", "పైన", "పైబడిన", "ಮೇಲ್ಪಟ್ಟ", "ಮೇಲೆ", "മുകളിൽ", "കൂടുതൽ"),
)

DECADES = {
    "teens": 10,
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
TENS |= {"eighty": 80}
UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
UNITS |= {"eight": 8, "nine": 9}
TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
# Number words as people type ages: English ("forty-five"), and the Hindi and Marathi
# numerals for the round ages (standard dictionary forms, Devanagari and the usual
# romanisations; "saath" (60) is left out: in Hinglish it mostly means "with").
NUM_WORDS = {
    **dict(zip(TEENS.split(), range(10, 20), strict=True)),
    **TENS,
    **{f"{t}{sep}{u}": ten + unit for t, ten in TENS.items() for u, unit in UNITS.items()
       for sep in ("-", " ")},
    **dict.fromkeys(("pandrah", "पंद्रह", "पंधरा"), 15),
    **dict.fromkeys(("bees", "बीस", "वीस"), 20),
    **dict.fromkeys(("pachees", "pachchees", "pachis", "pachchis", "पच्चीस", "पंचवीस"), 25),
    **dict.fromkeys(("tees", "तीस"), 30),
    **dict.fromkeys(("paintees", "paintis", "pentees", "पैंतीस", "पस्तीस"), 35),
    **dict.fromkeys(("chalis", "chaalis", "chalees", "chaalees", "चालीस", "चाळीस"), 40),
    **dict.fromkeys(("paintalis", "paintalees", "पैंतालीस", "पंचेचाळीस"), 45),
    **dict.fromkeys(("pachas", "pachaas", "पचास", "पन्नास"), 50),
    **dict.fromkeys(("pachpan", "पचपन", "पंचावन्न"), 55),
    **dict.fromkeys(("साठ",), 60),
    **dict.fromkeys(("painsath", "पैंसठ", "पासष्ट"), 65),
    **dict.fromkeys(("sattar", "सत्तर"), 70),
    **dict.fromkeys(("pachattar", "पचहत्तर", "पंचाहत्तर"), 75),
    **dict.fromkeys(("assi", "अस्सी", "ऐंशी"), 80),
    # the Marathi numerals above as typed in romanised Marathi (Molesworth's dictionary)
    **dict.fromkeys(("vees",), 20),
    **dict.fromkeys(("panchvees", "panchvis", "panchavis"), 25),
    **dict.fromkeys(("pastis", "pastees", "pasatis"), 35),
    **dict.fromkeys(("panchechalis", "panchechaalis"), 45),
    **dict.fromkeys(("pannas", "pannaas"), 50),
    **dict.fromkeys(("panchavanna", "pachavanna"), 55),
    **dict.fromkeys(("pasashta", "pasast"), 65),
    **dict.fromkeys(("ainshi", "ainshee"), 80),
}  # fmt: skip
AGE_WORDS: dict[str, tuple[int, int]] = {
    "teen": (13, 19),
    "teens": (13, 19),
    "teenager": (13, 19),
    "teenagers": (13, 19),
    "teenage": (13, 19),
    "kishor": (13, 19),
    "किशोर": (13, 19),
    "child": (5, 12),
    "children": (5, 12),
    "kid": (5, 12),
    "kids": (5, 12),
    "bachcha": (5, 12),
    "bachche": (5, 12),
    "baccha": (5, 12),
    "बच्चा": (5, 12),
    "बच्चे": (5, 12),
    "college-going": (18, 23),
    "elderly": (60, 90),
    "senior citizen": (60, 90),
    "buzurg": (60, 90),
    "budhe": (60, 90),
    "budhi": (60, 90),
    "boodhe": (60, 90),
    "बूढ़ा": (60, 90),
    "बूढ़ी": (60, 90),
    "बूढ़े": (60, 90),
    "बुज़ुर्ग": (60, 90),
    "बुजुर्ग": (60, 90),
    # middle age: "the period between about 45 and 65" (Oxford English Dictionary), in
    # English and Hindi (अधेड़, typed "adhed"/"adher"; प्रौढ़, McGregor: middle-aged)
    **dict.fromkeys(("middle-aged", "middle aged", "adhed", "adher", "अधेड़", "अधेड"), (45, 65)),
    **dict.fromkeys(("प्रौढ़", "प्रौढ", "praudh"), (45, 65)),
    # old: the Marathi म्हातारा/म्हातारी (Molesworth), Hindi वृद्ध, बुढ़िया (McGregor), an
    # elder "senior citizen" being 60 or more (India's Senior Citizens Act, 2007)
    **dict.fromkeys(("म्हातारा", "म्हातारी", "म्हातारे", "म्हाताऱ्या", "mhatara", "mhatari"), (60, 90)),
    **dict.fromkeys(
        ("mhatare", "वृद्ध", "vriddh", "vriddha", "वयोवृद्ध", "बुढ़िया", "budhiya"), (60, 90)
    ),
    **dict.fromkeys(("senior citizens", "ज्येष्ठ नागरिक", "वरिष्ठ नागरिक"), (60, 90)),
    # the Latin decade-of-life nouns (Oxford English Dictionary)
    **dict.fromkeys(("quadragenarian", "quadragenarians"), (40, 49)),
    **dict.fromkeys(("quinquagenarian", "quinquagenarians"), (50, 59)),
    **dict.fromkeys(("sexagenarian", "sexagenarians"), (60, 69)),
    **dict.fromkeys(("septuagenarian", "septuagenarians"), (70, 79)),
    **dict.fromkeys(("octogenarian", "octogenarians"), (80, 89)),
    **dict.fromkeys(("nonagenarian", "nonagenarians"), (90, 99)),
}
# Young: youth is 15-29 in India's National Youth Policy (2014); the nouns for a young
# person in English (Oxford) and Hindi/Marathi (McGregor, Molesworth: युवक, युवती, तरुणी,
# नौजवान). They give an age and a gender, so the parser leaves them for the gender too.
YOUNG: tuple[int, int] = (15, 29)
# ... and the adjectives, only right before a person's noun (जवान is also a soldier)
YOUNG_BEFORE = ("young", "yuva", "युवा", "तरुण", "jawan", "jawaan", "जवान")
YOUNG_WORDS = (  # the nouns
    *("youngster", "youngsters", "yuvak", "युवक", "yuvati", "युवती", "तरुणी"),
    *("naujawan", "नौजवान", "नवयुवक", "नवयुवती", "navyuvak", "navyuvati"),
)
PART_WORDS = frozenset(
    {"mother", "father", "hero", "heroine", *KIN, *(k + "s" for k in KIN)}
    | {"granddaughter", "grandson", "aunty", "uncle", "dadi"}
    | {"bhabhi", "chachi", "mausi", "chacha"}
    | {"mom", "mum", "moms", "mothers", "fathers", "grandmother", "grandma", "granny"}
    | {"aunt", "aunts", "dad", "dads", "grandfather", "grandpa", "maa", "माँ", "मां"}
    | {"baap", "pita", "पिता", "queen", "queens", "princess"}
    | {"दादी", "आजी", "aaji", "ajji", "मावशी", "काकू", "आत्या", "ताई", "tai", "matriarch"}
    | {"widow", "widows", "bride", "brides", "housewife", "housewives", "nun", "आजोबा", "ajoba"}
    | {"वडील", "काका", "भाऊ", "patriarch", "widower", "bridegroom", "groom", "king", "kings"}
    | {"prince", "princes", "monk", "गृहिणी", "grihini"}
    # a son or daughter is the part too ("actor ka beta": someone's son), as "mother" is
    | {"beta", "beti", "बेटा", "बेटी"}
    | {"खलनायक", "khalnayak", "खलनायिका", "khalnayika"}  # the villain: the part's kind
    | set(FEMALE_KIN)
    | set(MALE_KIN)
)
GLOSS = {
    "fauji": "soldier army officer", "jawan": "soldier", "gaon": "village rural",
    "gaonwala": "villager rural", "kisan": "farmer", "maa": "mother", "baap": "father",
    "pita": "father", "neta": "politician", "vakil": "lawyer", "khiladi": "sportsperson athlete",
    "daroga": "police inspector", "havaldar": "police constable", "gunda": "gangster villain",
    "pulis": "police", "mazaakiya": "comic comedy", "पुलिस": "police", "फौजी": "soldier",
    "गांव": "village rural", "किसान": "farmer", "नेता": "politician", "वकील": "lawyer",
    "खलनायक": "villain", "khalnayak": "villain", "खलनायिका": "villain",
    "khalnayika": "villain", "माँ": "mother", "मां": "mother", "पिता": "father",
}  # fmt: skip

# Words biographies are written with ("award", "debut", "theatre"), from the Hindi and
# Marathi dictionary and as typed in Hinglish, glossed in English so the English bios'
# full text and the embedding both meet them ("राष्ट्रीय" = national).
GLOSS |= {
    "पुरस्कार": "award", "puraskar": "award", "इनाम": "award", "inaam": "award",
    "सम्मान": "honour award", "सम्मानित": "honoured", "सन्मान": "honour award",
    "सन्मानित": "honoured", "राष्ट्रीय": "national",
    "rashtriya": "national", "राज्य": "state", "विजेता": "winner", "विजेती": "winner",
    "जीता": "won", "जीती": "won", "जीते": "won", "जीतने": "won", "jeeta": "won",
    "jeeti": "won", "jeete": "won", "jeetne": "won", "मिळालेली": "received",
    "मिळालेला": "received", "मिळालेले": "received", "प्राप्त": "received",
    "पहली": "first", "pehli": "first", "पदार्पण": "debut", "शुरुआत": "started career",
    "बाल": "child", "बालकलाकार": "child artist", "लहानपणी": "child", "bachpan": "childhood",
    # childhood (McGregor: बचपन; Molesworth: बालपण), "since childhood" with "-से"/"-पासून"
    "बचपन": "childhood child", "बालपण": "childhood child", "बालपणापासून": "childhood child",
    "beta": "son", "beti": "daughter", "बेटा": "son", "बेटी": "daughter",
    "पत्नी": "wife", "पति": "husband", "शादी": "married", "shaadi": "married",
    "विवाह": "married", "लग्न": "married", "प्रसिद्ध": "famous", "मशहूर": "famous",
    "mashhoor": "famous", "लोकप्रिय": "popular", "रंगमंच": "theatre", "rangmanch": "theatre",
    "नाटक": "theatre play", "natak": "theatre play", "रंगभूमी": "theatre",
    "थिएटर": "theatre", "टीवी": "television", "टेलीविजन": "television",
    "धारावाहिक": "television serial", "मालिका": "television serial",
    "सौंदर्य": "beauty", "प्रतियोगिता": "contest pageant", "स्पर्धा": "contest competition",
    "प्रतिभागी": "contestant participant", "हिस्सा": "participated", "भाग": "participated",
    "हास्य": "comedy comic", "कॉमेडी": "comedy", "विनोदी": "comic comedy",
    "डबिंग": "dubbing", "आवाज़": "voice", "आवाज": "voice", "प्रशिक्षित": "trained",
    "शास्त्रीय": "classical", "संगीत": "music", "पूर्व": "former", "खिलाड़ी": "sportsperson",
    "क्रिकेटर": "cricketer", "सरकार": "government", "पद्म": "padma", "श्री": "shri",
    # a part's kind (McGregor: नकारात्मक negative, भूमिका role); "किरदार" (character) is
    # left as typed: "X ka kirdar" names the part, and "character" ranked character actors;
    # romanised "bhumika" too: it is also a first name (Bhumika Chawla) and a film
    "नकारात्मक": "negative", "भूमिका": "role",
}  # fmt: skip
# English loanwords as Hindi and Marathi write them, and the Indian states whose names
# the bios use for awards and birthplaces ("Tamil Nadu State Film Award"), from the
# states' official Hindi/Marathi names
GLOSS |= {
    "अभिनय": "acting", "डेब्यू": "debut", "साउथ": "south", "दक्षिण": "south", "अवॉर्ड": "award",
    "अवार्ड": "award", "शो": "show", "नेशनल": "national", "बेस्ट": "best", "विनर": "winner",
    "ब्यूटी": "beauty", "क्वीन": "queen", "पेजेंट": "pageant", "विलेन": "villain",
    "रियलिटी": "reality", "रिॲलिटी": "reality", "रिएलिटी": "reality", "रिअॅलिटी": "reality",
    "सीरियल": "television serial", "सिरियल": "television serial", "मॉडलिंग": "modelling",
    "तमिलनाडु": "tamil nadu", "तमिळनाडू": "tamil nadu", "तमिळनाडु": "tamil nadu",
    "केरल": "kerala", "केरळ": "kerala", "कर्नाटक": "karnataka", "आंध्र": "andhra",
    "तेलंगाना": "telangana", "तेलंगणा": "telangana", "महाराष्ट्र": "maharashtra",
    "बंगाल": "bengal", "पंजाब": "punjab", "गुजरात": "gujarat", "ओडिशा": "odisha",
}  # fmt: skip
# English abbreviations for office holders and India's film schools, spelled out as the
# bios write them (the National School of Drama, the Film and Television Institute of India)
GLOSS |= {
    "mp": "member parliament", "mps": "member parliament", "mla": "member legislative assembly",
    "mlas": "member legislative assembly", "nsd": "nsd national school drama",
    "ftii": "ftii film television institute", "tv": "tv television",
}  # fmt: skip
STOP_TEXT = """
a an the and or but of for to with in on at by from as is are be been being who whom that
which what can could should would will do does did has have having their them they it its
this these those some any all any one someone somebody anyone people person persons actor
actors talent talents artist artists artiste artistes performer performers profile profiles
candidate candidates options option find show me get give need needed want looking look search list
please pls also very good great strong fluent fluently speak speaks speaking speaker
speakers knows know knowing aged age old year years yrs based living lives live located
around about approx approximately who's whos plus than more less over under above below
least most between into like kind type sort cast casting role roles for playing mein me ki
ka ke ko se jo jise jisko jinko aur bhi chahiye chahie dikhao batao dhundo hai hain ho
sake sakti sakta sakte saken bolne bolti bolta bolte aati aata aate aani wali wala wale
waali waala koi kuch saal sal umar umr ya tak rehne rehti rehta rehte karne karti karta
karte kar jaanti jaanta janti janta aas paas dono वाली वाला वाले जो और में की का के को से चाहिए
हो सके बोलने बोलती बोलता आती आता कोई साल उम्र तक रहने रहती रहता करने करती करता बोलणारी
बोलणारा बोलणारे आणि मध्ये पाहिजे असलेली असलेला हवी हवा हवे करणारी करणारा येणारी येणारा
राहणारी राहणारा बोलणाऱ्या करणाऱ्या वय वयाची वयाचा वयाचे वयाच्या ची चा चे जी ते मधला मधली मधले
करू शकतो शकते शकेल ऐसा ऐसी सके
aisa aisi aise jaisa jaisi jaise filmon filmo kaam kiya kiye ki thi tha the hon jinki jinka
jinke jiski jiska jiske unki unka unke chahiye ऐसे जैसा जैसी काम किया किये थी था थे जिनकी जिसकी
rahi raha rahe फ़िल्म फिल्म फ़िल्में फिल्में फ़िल्मों फिल्मों चित्रपट चित्रपटांमध्ये चित्रपटात
कलाकार कलाकारों kalakar लेने लिया आए आई आया रहे रही हुई हुए हुआ hui hue hua
आलेली आलेला आलेले घेतलेली घेतलेला घेतलेले केलेली केलेला केलेले
चित्रपटांत चित्रपटांतील दोनों दोन्ही रह चुकी चुका चुके reh rah chuki chuka chuke cum industry
liye lie jaane jaate jaati jaata jane jate jati bani bane bana pe लिए जाने जाते जाती जाता बनी
बने मधील भी log लोग
vay hava havi pahije chya madhye madhla madhli
"""
STOP_WORDS = frozenset(STOP_TEXT.split())
