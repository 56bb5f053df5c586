# ruff: noqa: RUF001, RUF003  (Cyrillic names: their letters look like Latin ones on purpose)
"""Names for synthetic people: Russian, Lithuanian, English and Kyrgyz, with their grammar.

Lists run from common to rare; the generator picks from them with falling
weights, so a few names are frequent (like Иванова) and some are rare, as in a
real registry. Family names are stored in their masculine form and turned
feminine by the rules of each language. Pure data and functions, no Django.
"""

from __future__ import annotations

import random
from itertools import accumulate


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


RU_FEMALE = _words(
    "Анна Мария Елена Ольга Наталья Екатерина Татьяна Ирина Светлана Юлия Анастасия Дарья "
    "Ксения Алина Виктория Кристина Полина Валентина Галина Людмила Надежда Марина Евгения "
    "Алёна Вероника Софья Александра Олеся Любовь Оксана Яна Диана Карина Елизавета Варвара "
    "Милана Ульяна Арина Василиса Таисия Зинаида Антонина Раиса Евдокия Серафима"
)
RU_MALE = _words(
    "Александр Дмитрий Максим Сергей Андрей Алексей Артём Илья Кирилл Михаил Никита Матвей "
    "Роман Егор Иван Владимир Николай Павел Евгений Денис Виктор Юрий Олег Игорь Константин "
    "Тимофей Фёдор Георгий Степан Лев Григорий Пётр Василий Анатолий Валерий Святослав"
)
# The father's name gives the patronymic: (son's, daughter's).
RU_PATRONYMICS = {
    "Александр": ("Александрович", "Александровна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Максим": ("Максимович", "Максимовна"),
    "Сергей": ("Сергеевич", "Сергеевна"),
    "Андрей": ("Андреевич", "Андреевна"),
    "Алексей": ("Алексеевич", "Алексеевна"),
    "Артём": ("Артёмович", "Артёмовна"),
    "Илья": ("Ильич", "Ильинична"),
    "Кирилл": ("Кириллович", "Кирилловна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Никита": ("Никитич", "Никитична"),
    "Матвей": ("Матвеевич", "Матвеевна"),
    "Роман": ("Романович", "Романовна"),
    "Егор": ("Егорович", "Егоровна"),
    "Иван": ("Иванович", "Ивановна"),
    "Владимир": ("Владимирович", "Владимировна"),
    "Николай": ("Николаевич", "Николаевна"),
    "Павел": ("Павлович", "Павловна"),
    "Евгений": ("Евгеньевич", "Евгеньевна"),
    "Денис": ("Денисович", "Денисовна"),
    "Виктор": ("Викторович", "Викторовна"),
    "Юрий": ("Юрьевич", "Юрьевна"),
    "Олег": ("Олегович", "Олеговна"),
    "Игорь": ("Игоревич", "Игоревна"),
    "Константин": ("Константинович", "Константиновна"),
    "Тимофей": ("Тимофеевич", "Тимофеевна"),
    "Фёдор": ("Фёдорович", "Фёдоровна"),
    "Георгий": ("Георгиевич", "Георгиевна"),
    "Степан": ("Степанович", "Степановна"),
    "Лев": ("Львович", "Львовна"),
    "Григорий": ("Григорьевич", "Григорьевна"),
    "Пётр": ("Петрович", "Петровна"),
    "Василий": ("Васильевич", "Васильевна"),
    "Анатолий": ("Анатольевич", "Анатольевна"),
    "Валерий": ("Валерьевич", "Валерьевна"),
    "Святослав": ("Святославович", "Святославовна"),
}
# Masculine forms; -ов/-ев/-ин take -а, -ский takes -ская, the rest do not change.
RU_FAMILY = _words(
    "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов "
    "Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев "
    "Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв "
    "Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов "
    "Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов "
    "Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев Титов Марков "
    "Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов Казаков "
    "Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов "
    "Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев "
    "Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв "
    "Овчинников Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов Никифоров "
    "Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев "
    "Акимов Кондратьев Бирюков Горбунов Анисимов Островский Шевченко Бондаренко Ковальчук "
    "Седых Черных Ким Галкин Лукьянов Михеев Скворцов Юдин Белоусов Нестеров Симонов "
    "Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронов Аксёнов Мальцев Логинов "
    "Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов Плотников Хохлов Жданов "
    "Вишневский Заболоцкий Толстой Добролюбов Преображенский"
)
# Short forms people go by, recorded as the preferred name.
RU_PREFERRED = {
    "Мария": "Маша",
    "Елена": "Лена",
    "Екатерина": "Катя",
    "Наталья": "Наташа",
    "Татьяна": "Таня",
    "Ольга": "Оля",
    "Ирина": "Ира",
    "Светлана": "Света",
    "Юлия": "Юля",
    "Анастасия": "Настя",
    "Дарья": "Даша",
    "Ксения": "Ксюша",
    "Александра": "Саша",
    "Александр": "Саша",
    "Дмитрий": "Дима",
    "Алексей": "Лёша",
    "Евгения": "Женя",
    "Евгений": "Женя",
}

LT_FEMALE = _words(
    "Rūta Eglė Aistė Greta Ieva Jurgita Rasa Lina Kristina Inga Vilma Giedrė Laura Agnė "
    "Indrė Dovilė Simona Neringa Jolanta Dalia Birutė Aldona Danutė Ona Janina Vaida Živilė "
    "Gabija Austėja Emilija Kamilė Goda Ugnė Miglė Urtė Liepa Smiltė Viltė Gintarė Šarūnė"
)
LT_MALE = _words(
    "Tomas Mantas Jonas Lukas Matas Dominykas Nojus Kajus Jokūbas Benas Augustas Paulius "
    "Darius Andrius Mindaugas Vytautas Giedrius Marius Žygimantas Rokas Saulius Algirdas "
    "Kęstutis Rimantas Gediminas Arūnas Tadas Justas Povilas Antanas"
)
LT_FAMILY = _words(
    "Kazlauskas Jankauskas Petrauskas Stankevičius Vasiliauskas Žukauskas Butkus Paulauskas "
    "Urbonas Kavaliauskas Baranauskas Pocius Navickas Sakalauskas Rimkus Žilinskas Vaitkus "
    "Mickevičius Ramanauskas Jonaitis Petraitis Lukoševičius Šimkus Adomaitis Stonkus "
    "Mažeika Budrys Valaitis Balčiūnas Kairys Gudaitis Rutkauskas Marcinkevičius Kučinskas "
    "Juška Bagdonas Grigaliūnas Šalkauskis Dambrauskas Čepulis"
)

EN_FEMALE = _words(
    "Emma Olivia Amelia Sophie Jessica Chloe Emily Lauren Hannah Charlotte Megan Rebecca "
    "Sarah Laura Gemma Kelly Danielle Stacey Leanne Jade Mia Ava Isla Grace Poppy Lily Ruby "
    "Freya Ella Evie Bethany Siobhan"
)
EN_MALE = _words(
    "Oliver Jack Harry George Noah Charlie Jacob Thomas James Daniel Ryan Liam Connor Callum "
    "Jamie Lewis Kyle Dean Craig Lee Mark Paul Leo Alfie Freddie Archie Theo Oscar Tyrone"
)
EN_FAMILY = _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
    "Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan "
    "Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell "
    "Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan "
    "Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb "
    "Rogers Gray Mason Ali Hunt Hussain Campbell O'Brien McCarthy Fitzgerald Okafor Nowak"
)
EN_PREFERRED = {
    "Rebecca": "Becky",
    "Jessica": "Jess",
    "Charlotte": "Charlie",
    "Daniel": "Danny",
    "James": "Jim",
    "Thomas": "Tom",
    "Samantha": "Sam",
}

# Kyrgyz names as written in Kyrgyzstan's Cyrillic; family names take the Russian
# endings (Асанов, Асанова).
KY_FEMALE = _words(
    "Айгуль Гульнара Айжан Нургуль Чолпон Жылдыз Айпери Асель Бермет Динара Эльмира "
    "Назгуль Мээрим Айнура Каныкей Салтанат Жамиля Гулзат Айдана Бурул Акмарал Замира "
    "Алтынай Махабат Гулмира Адинай Толгонай Бактыгуль"
)
KY_MALE = _words(
    "Азамат Бакыт Эрлан Нурлан Талант Мирлан Улан Бекзат Данияр Айбек Эмир Алинур Арсен "
    "Байэль Нурсултан Адилет Элдияр Санжар"
)
KY_FAMILY = _words(
    "Асанов Токтогулов Садыков Жумабаев Исаков Осмонов Мамытов Бакиров Абдыраманов Кадыров "
    "Султанов Турдубаев Эсенов Иманалиев Сыдыков Омуралиев Табылдиев Сатыбалдиев Акматов "
    "Калыков Токтосунов Абдылдаев Маматов Ниязов Усенов Бообеков"
)


def _falling(items) -> tuple[tuple, list[float]]:
    """Items with cumulative weights 1/(rank+2): the first common, the last rare."""
    items = tuple(items)
    return items, list(accumulate(1 / (rank + 2) for rank in range(len(items))))


_LISTS = {
    ("ru", "female"): _falling(RU_FEMALE),
    ("ru", "male"): _falling(RU_MALE),
    ("ru", "family"): _falling(RU_FAMILY),
    ("lt", "female"): _falling(LT_FEMALE),
    ("lt", "male"): _falling(LT_MALE),
    ("lt", "family"): _falling(LT_FAMILY),
    ("en", "female"): _falling(EN_FEMALE),
    ("en", "male"): _falling(EN_MALE),
    ("en", "family"): _falling(EN_FAMILY),
    ("ky", "female"): _falling(KY_FEMALE),
    ("ky", "male"): _falling(KY_MALE),
    ("ky", "family"): _falling(KY_FAMILY),
}


def pick(rng: random.Random, culture: str, kind: str) -> str:
    """A given name (kind "female"/"male") or a masculine family name (kind "family")."""
    items, weights = _LISTS[culture, kind]
    return rng.choices(items, cum_weights=weights)[0]


def family_name(culture: str, base: str, gender: str, *, married: bool = False) -> str:
    """The form of the family name ``base`` (masculine) that a person of ``gender`` bears."""
    if gender != "female":
        return base
    if culture in ("ru", "ky"):
        return _russian_feminine(base)
    if culture == "lt":
        return _lithuanian_feminine(base, married=married)
    return base


def _russian_feminine(base: str) -> str:
    if base.endswith(("ский", "цкий")):
        return base[:-2] + "ая"
    if base.endswith("ой"):
        return base[:-2] + "ая"
    if base.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return base + "а"
    return base  # Шевченко, Седых, Ким: the same for everyone


def masculine(culture: str, family: str) -> str:
    """The masculine form of a Russian or Kyrgyz woman's family name: Иванова -> Иванов."""
    if culture not in ("ru", "ky"):
        return family
    if family.endswith(("ская", "цкая")):
        return family[:-2] + "ий"
    if family.endswith("ая"):
        return family[:-2] + "ой"
    if family.endswith(("ова", "ева", "ёва", "ина", "ына")):
        return family[:-1]
    return family


# Masculine ending -> (married woman's, unmarried woman's).
_LT_ENDINGS = (
    ("ius", "ienė", "iūtė"),
    ("as", "ienė", "aitė"),
    ("is", "ienė", "ytė"),
    ("ys", "ienė", "ytė"),
    ("us", "uvienė", "utė"),
    ("a", "ienė", "aitė"),
)


def _lithuanian_feminine(base: str, *, married: bool) -> str:
    for ending, wife, daughter in _LT_ENDINGS:
        if base.endswith(ending):
            return base[: -len(ending)] + (wife if married else daughter)
    return base


def patronymic(culture: str, father: str, gender: str) -> str:
    """A Russian patronymic from the father's given name; other cultures have none."""
    if culture != "ru" or father not in RU_PATRONYMICS:
        return ""
    son, daughter = RU_PATRONYMICS[father]
    return daughter if gender == "female" else son


def preferred_name(culture: str, given: str) -> str:
    return {"ru": RU_PREFERRED, "en": EN_PREFERRED}.get(culture, {}).get(given, "")


def latin_spelling(rng: random.Random, cyrillic: str, latin: str) -> str:
    """One of the spellings a Cyrillic name gets in Latin papers: Mariya, Mariia or Maria."""
    if not cyrillic:
        return ""
    variant = rng.randrange(3)
    if variant == 1:  # ICAO, as in Russian passports since 2013
        return latin.replace("ya", "ia").replace("yu", "iu").replace("Ya", "Ia").replace("Yu", "Iu")
    if variant == 2:  # the simple spelling people choose themselves
        return latin.replace("iya", "ia").replace("iy", "i")
    return latin
