"""The retrieval evaluation set for memory: conversations with questions and evidence.

Written by hand, LoCoMo-style: two friends talk over many sessions; some turns state a
personal fact, most are small talk. Each question is phrased in other words than its
evidence turn (so neither plain keyword nor plain vector search is enough) and names the
turn ids that answer it. `build()` lays the facts out among the small talk with a fixed
seed and returns the import-format file plus the questions.

    .venv/bin/python bench/memory_eval.py OUT.json   # write the set in the import format
"""

from __future__ import annotations

import json
import random
import sys
from datetime import datetime, timedelta
from typing import Any

# (speaker, statement, question): the question is answered by the statement's turn.
FACTS: list[tuple[str, str, str]] = [
    ("Mia", "We finally adopted a beagle puppy, we named him Pepper.",
     "What is the name of Mia's dog?"),
    ("Leo", "I started learning the cello in January, my teacher is very strict.",
     "Which musical instrument is Leo studying?"),
    ("Mia", "My sister Clara just moved to Lisbon for her architecture job.",
     "Where does Mia's sister live now?"),
    ("Leo", "The doctor told me I'm allergic to penicillin, so I carry a card now.",
     "What medication must Leo avoid?"),
    ("Mia", "I ran my first half marathon in Rotterdam, finished in two hours ten.",
     "How long did Mia's first half marathon take?"),
    ("Leo", "We're renovating the kitchen, going with dark green cabinets.",
     "What colour will Leo's new kitchen cupboards be?"),
    ("Mia", "I quit the bank and joined a small solar energy startup as an analyst.",
     "What kind of company does Mia work for now?"),
    ("Leo", "My grandfather turns ninety in August, we're planning a party in Porto.",
     "How old will Leo's grandfather be?"),
    ("Mia", "I've been reading Middlemarch on the train every morning.",
     "Which novel is Mia reading during her commute?"),
    ("Leo", "I broke my wrist skateboarding with my nephew, cast for six weeks.",
     "How did Leo injure his arm?"),
    ("Mia", "We booked a cabin in the Dolomites for the second week of July.",
     "Where is Mia going on holiday in the summer?"),
    ("Leo", "My daughter Ada got into the robotics club at school.",
     "What after-school activity did Leo's child join?"),
    ("Mia", "I'm vegetarian since last year, mostly for the climate.",
     "Does Mia eat meat?"),
    ("Leo", "I sold my old Volvo and bought an electric cargo bike instead.",
     "What does Leo use to get around now instead of a car?"),
    ("Mia", "My favourite band is Khruangbin, I saw them live in Amsterdam.",
     "Which group does Mia like most?"),
    ("Leo", "I volunteer at the food bank every Saturday morning.",
     "How does Leo spend his weekend mornings helping others?"),
    ("Mia", "I'm learning Japanese because we want to visit Kyoto next spring.",
     "Why is Mia studying a new language?"),
    ("Leo", "Our landlord is raising the rent by fifteen percent in March.",
     "What is happening to Leo's housing costs?"),
    ("Mia", "My mother's birthday is on the 3rd of November, I always forget.",
     "When is the birthday of Mia's mum?"),
    ("Leo", "I've been growing tomatoes and chillies on the balcony.",
     "What vegetables does Leo grow at home?"),
    ("Mia", "I got a promotion, I'm now leading a team of four analysts.",
     "How many people report to Mia?"),
    ("Leo", "The kids and I built a treehouse in the garden over Easter.",
     "What did Leo build with his children during the holidays?"),
    ("Mia", "I have a phobia of deep water, I never swim in the sea.",
     "What is Mia afraid of?"),
    ("Leo", "My partner Noor is a paediatric nurse at the city hospital.",
     "What does Leo's partner do for a living?"),
    ("Mia", "We're getting married next September in a vineyard near Bordeaux.",
     "Where will Mia's wedding take place?"),
    ("Leo", "I switched to a night shift schedule at the warehouse.",
     "When does Leo work now?"),
    ("Mia", "My laptop was stolen at the airport, I lost all my photos.",
     "What happened to Mia's computer?"),
    ("Leo", "I'm training for a charity bike ride from London to Paris.",
     "What cycling event is Leo preparing for?"),
    ("Mia", "Pepper has to have surgery on his hip next week.",
     "What health problem does Mia's dog have?"),
    ("Leo", "Ada wants to be an astronaut, she reads about Mars all the time.",
     "What career does Leo's daughter dream of?"),
]
# Questions that reuse a rare word of their evidence, as people often ask ("what did I say
# about Middlemarch?"): keyword search shines here, and plain vectors can miss.
KEYWORD: list[tuple[int, str]] = [
    (0, "Tell me about Pepper."),
    (14, "When did Mia see Khruangbin?"),
    (8, "What did Mia say about Middlemarch?"),
    (2, "What is Clara up to?"),
    (23, "Who is Noor?"),
    (7, "What's the plan in Porto?"),
    (10, "Anything about the Dolomites?"),
    (18, "What did Mia mention about the 3rd of November?"),
    (16, "Why Kyoto?"),
    (27, "London to Paris ride details?"),
    (13, "What happened to the Volvo?"),
    (26, "Where was the laptop stolen?"),
]
# Questions whose answer needs two turns.
MULTI: list[tuple[tuple[int, int], str]] = [
    ((0, 28), "What do we know about Mia's pet and its health?"),
    ((11, 29), "What are Leo's daughter's interests?"),
    ((6, 20), "How has Mia's career changed?"),
    ((3, 9), "What medical issues has Leo had?"),
]
OPENERS = ["Honestly,", "Ha,", "Oh,", "Well,", "By the way,", "Anyway,", "So,", "Ugh,",
           "You know,", "Funny thing,", "To be fair,", "Right,", "Okay so", "Hmm,", "Yeah,"]
REMARKS = [
    "the weather has been awful lately", "traffic this morning was a nightmare",
    "I watched the match last night", "work has been hectic all week",
    "that new bakery on the corner is really good", "I need a proper holiday",
    "I fell asleep on the sofa again", "the trains were late twice this week",
    "I finally cleaned out the garage", "we ordered pizza three times this week",
    "my phone battery dies by lunchtime", "the neighbours were loud again",
    "I tried a new recipe and it flopped", "the gym was packed yesterday",
    "I can't believe it's already Thursday", "there's a new series everyone talks about",
    "the office coffee machine broke", "I spent the evening answering emails",
    "it rained all weekend", "I overslept and missed my bus",
    "the supermarket was out of bread", "I've been sleeping badly",
    "we had a long meeting about nothing", "I bought new running shoes",
    "the heating is acting up", "I lost my umbrella somewhere",
    "there was a power cut in our street", "my inbox is out of control",
    "we played board games until midnight", "I keep meaning to call you back",
    "the queue at the post office was endless", "I'm trying to drink less coffee",
    "the park was full of people on Sunday", "I binged a cooking show",
    "my plants are somehow still alive", "the printer jammed again",
]
CLOSERS = ["", " Crazy, right?", " Anyway.", " Typical.", " How about you?",
           " Not much else going on.", " Such is life.", " Can't complain though."]


def small_talk(rng: random.Random) -> str:
    """One line of chit-chat; hundreds of distinct combinations, like real conversation."""
    return f"{rng.choice(OPENERS)} {rng.choice(REMARKS)}.{rng.choice(CLOSERS)}"


def build(seed: int = 17, sessions: int = 20, filler: int = 40) -> dict[str, Any]:
    """The conversation file (import format) plus `questions` with their evidence ids."""
    rng = random.Random(seed)
    placement = [i % sessions for i in range(len(FACTS))]
    rng.shuffle(placement)
    start = datetime(2026, 3, 2, 18, 0)
    evidence: dict[int, str] = {}
    out_sessions = []
    for s in range(sessions):
        lines: list[tuple[str, str, int | None]] = [
            ("Mia" if i % 2 == 0 else "Leo", small_talk(rng), None)
            for i in range(filler)]
        for index in (i for i, p in enumerate(placement) if p == s):
            speaker, statement, _ = FACTS[index]
            lines.insert(rng.randrange(len(lines) + 1), (speaker, statement, index))
        turns = []
        for t, (speaker, text, index) in enumerate(lines, start=1):
            turn_id = f"D{s + 1}:{t}"
            if index is not None:
                evidence[index] = turn_id
            turns.append({"id": turn_id, "speaker": speaker, "text": text})
        when = start + timedelta(days=9 * s, hours=rng.randrange(8))
        out_sessions.append({"id": f"session_{s + 1}", "date_time": when.isoformat(),
                             "turns": turns})
    questions = [{"question": q, "evidence": [evidence[i]], "kind": "paraphrase"}
                 for i, (_, _, q) in enumerate(FACTS)]
    questions += [{"question": q, "evidence": [evidence[i]], "kind": "keyword"}
                  for i, q in KEYWORD]
    questions += [{"question": q, "evidence": [evidence[a], evidence[b]], "kind": "multi"}
                  for (a, b), q in MULTI]
    return {"conversations": [{"id": "mia-and-leo", "sessions": out_sessions}],
            "questions": questions}


if __name__ == "__main__":
    data = build()
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1, ensure_ascii=False)
    print(f"{len(data['questions'])} questions, "
          f"{sum(len(s['turns']) for s in data['conversations'][0]['sessions'])} turns")
