"""Demo partner organisations with their services and contact people.

Pact is the real charity of seed 002; the Lithuanian and Russian NGOs are
invented for the demo and say so. Contact people are fictional (UK numbers
from Ofcom's range reserved for drama). Idempotent: a partner already
registered under its name is kept as is.
"""

from __future__ import annotations

from kinbridge.accounts.models import Region
from kinbridge.partners import actions
from kinbridge.partners.models import Partner, ServiceKind

PARTNERS = [
    {
        "name": "Pact (Prison Advice and Care Trust)",
        "region": ("Gloucestershire", "GB"),
        "description": (
            "National charity supporting prisoners' children and families. Runs the Visiting "
            "Mum scheme at HMP Eastwood Park: volunteers, transport and family-room visits."
        ),
        "website": "https://www.prisonadvice.org.uk/",
        "is_public": True,
        "services": [
            {
                "kind": ServiceKind.VISITS_TRANSPORT,
                "description": "Volunteers and transport for children visiting their mothers",
                "languages": "en, cy",
            },
            {
                "kind": ServiceKind.CHILDREN_FAMILY,
                "description": "One-to-one family casework; parenting and relationship classes",
                "languages": "en",
            },
            {
                "kind": ServiceKind.RELEASE,
                "description": "Support for mothers and families preparing for release",
                "languages": "en",
            },
        ],
        "contacts": [
            {
                "name": "Sarah Bennett (demo)",
                "role": "Visiting Mum coordinator",
                "phone": "+44 20 7946 0123",
                "email": "visiting-mum@example.org",
            }
        ],
    },
    {
        "name": "Children Heard and Seen (CHAS)",
        "region": ("Oxfordshire", "GB"),
        "description": (
            "Charity supporting children with a parent in prison and their carers. Refers "
            "families to the Kids Matter online groups (seed 003)."
        ),
        "website": "https://childrenheardandseen.co.uk/",
        "is_public": True,
        "services": [
            {
                "kind": ServiceKind.CHILDREN_FAMILY,
                "description": "Support for children with a parent in prison, and their carers",
                "languages": "en",
            },
        ],
        "contacts": [
            {
                "name": "Children and families practitioner (demo)",
                "role": "Refers families to Kids Matter",
                "email": "referrals@example.org",
            }
        ],
    },
    {
        "name": "Artimųjų pagalbos tinklas (demo)",
        "region": ("Vilnius County", "LT"),
        "description": (
            "Invented for the demo: a Lithuanian NGO helping relatives of prisoners with "
            "counselling, information about the justice process, legal consultations and "
            "talking to children about a parent's imprisonment."
        ),
        "is_public": True,
        "services": [
            {
                "kind": ServiceKind.EMOTIONAL_SUPPORT,
                "description": "Individual counselling and self-help groups for relatives",
                "languages": "lt, ru",
            },
            {
                "kind": ServiceKind.JUSTICE_INFORMATION,
                "description": "What happens after sentencing, visits, parcels and parole",
                "languages": "lt",
            },
            {
                "kind": ServiceKind.LEGAL_ADVICE,
                "description": "Free consultations with a volunteer lawyer, by appointment",
                "languages": "lt, en",
            },
            {
                "kind": ServiceKind.CHILDREN_FAMILY,
                "description": "Talking to children about a parent in prison",
                "languages": "lt",
            },
        ],
        "contacts": [
            {
                "name": "Rasa Vaitkutė (demo)",
                "role": "Social worker",
                "email": "rasa@example.org",
            }
        ],
    },
    {
        "name": "Фонд «Правовая опора» (demo)",
        "region": ("Samara Region", "RU"),
        "description": (
            "Invented for the demo: a Samara NGO offering legal and psychological help to women "
            "in colonies and their families, and support after release."
        ),
        "is_public": False,
        "services": [
            {
                "kind": ServiceKind.LEGAL_ADVICE,
                "description": "Parole applications, custody of children, documents",
                "languages": "ru",
            },
            {
                "kind": ServiceKind.HEALTH,
                "description": "Psychological help for mothers and relatives",
                "languages": "ru",
            },
            {
                "kind": ServiceKind.HOUSING,
                "description": "Temporary housing after release",
                "languages": "ru",
            },
        ],
        "contacts": [
            {
                "name": "Ирина Волкова (demo)",
                "role": "Юрист",
                "email": "irina@example.org",
            }
        ],
    },
]


def load() -> int:
    """Create the demo partners that are missing (regions come from facilities.load)."""
    for entry in PARTNERS:
        fields = dict(entry)
        name, country = fields.pop("region")
        region = Region.objects.get(name=name, country=country)
        if not Partner.objects.filter(name=fields["name"]).exists():
            actions.create_partner(None, region=region, **fields)
    return len(PARTNERS)
