"""A demo workspace with a risk register and a mutual-aid ledger holding what a report must never let out
(importable as `care_seed`): on top of `report_seed`, risks and ledger lines at every sensitivity, a group named
after a person ("Falcon"), evidence notes whose speakers' consent stops short of public."""

from __future__ import annotations

import report_seed

from lessonkit.services import ledger, risks
from lessonkit.services.redact_terms import add_terms
from lessonkit.store.base import Store
from lessonkit.store.workspace import BaseWorkspace

HARBOUR = "Harbour Tenants Circle (invented)"
VALLEY = "Green Valley Youth Forum (invented)"
RESTRICTED_RISK = "The safe house on the ridge"
SOL_EVIDENCE = "Sol weighed every sack"


def seed(ws: BaseWorkspace) -> Store:
    report_seed.seed(ws)
    store = ws.store("demo")
    add_terms(store, report_seed.EXTRA_TERMS)
    risks.add_risk(store, "Raid at Lakeview Community Hall", "physical-safety", 3, 5, group=HARBOUR, owner="Falcon",
                   contingency={"who": "Falcon", "how": "call Kiri Moana at +44 20 7946 0958", "channel": "phone"},
                   mitigations=["Meet at the Pinecrest Workers Union"], sensitivity="public")
    risks.rate_risk(store, 1, "Falcon", 1, 5)
    risks.rate_risk(store, 1, VALLEY, 4, 4)
    risks.add_risk(store, "Rain", "logistics", 4, 4, sensitivity="public")
    risks.add_risk(store, RESTRICTED_RISK, "physical-safety", 5, 5, sensitivity="restricted")
    ledger.add_line(store, "Falcon", HARBOUR, "money", 100, "EUR", "bus tickets", status="delivered",
                    evidence="Falcon's card said DEMO-CCCC", join_code="DEMO-BBBB", sensitivity="public")
    ledger.add_line(store, VALLEY, HARBOUR, "goods", 25, "kg", "rice", status="delivered", evidence=SOL_EVIDENCE,
                    join_code="DEMO-AAAA", sensitivity="public")
    ledger.add_line(store, VALLEY, HARBOUR, "money", 40, "EUR", "rent", due="2026-01-15", sensitivity="public")
    ledger.add_line(store, VALLEY, "Falcon", "money", 999, "EUR", "bail", status="delivered", sensitivity="restricted")
    return store
