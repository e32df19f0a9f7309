"""`services`, `agreements`, `purchases` and `metrics`: the catalogue, agreements, purchases and the figures
from scripts. Money is printed as a string with two decimals; shares as numbers rounded to four places."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from decimal import Decimal

from clientdesk.domain.errors import FieldProblem, InvalidInput, NotFound
from clientdesk.domain.lifecycle import Stage
from clientdesk.domain.services_catalogue import (
    Agreement,
    AgreementDraft,
    BillingPeriod,
    PurchaseDraft,
    Service,
    ServiceDraft,
    money_text,
    parse_amount,
)
from clientdesk.services.workspace import Workspace


def services(workspace: Workspace, args: argparse.Namespace) -> int:
    if args.action == "add":
        price = parse_amount(args.price, "--price") if args.price is not None else None
        service = workspace.purchases.add_service(ServiceDraft(args.name, args.description, price, args.unit))
        print(json.dumps(_service_json(service), ensure_ascii=False, indent=2) if args.json
              else f"Added service {service.id}: {service.name}")
        return 0
    if args.action == "edit":
        service = workspace.purchases.update_service(args.id, _edited(_service_by_id(workspace, args.id), args))
        print(json.dumps(_service_json(service), ensure_ascii=False, indent=2) if args.json
              else f"Changed service {service.id}: {service.name}")
        return 0
    if args.action == "remove":
        name = _service_by_id(workspace, args.id).name
        workspace.purchases.remove_service(args.id)
        print(f"Removed service {args.id}: {name}")
        return 0
    found = workspace.purchases.services()
    if args.json:
        print(json.dumps([_service_json(service) for service in found], ensure_ascii=False, indent=2))
    elif not found:
        print("No services yet.")
    else:
        for service in found:
            price = f"{money_text(service.price)}{' per ' + service.unit if service.unit else ''}" if service.price else ""
            print(f"{service.id:>4}  {service.name:<30}  {price}".rstrip())
    return 0


def _service_by_id(workspace: Workspace, service_id: int) -> Service:
    found = next((service for service in workspace.purchases.services() if service.id == service_id), None)
    if found is None:
        raise NotFound(f"There is no service with id {service_id}; `services list` shows them.")
    return found


def _edited(service: Service, args: argparse.Namespace) -> ServiceDraft:
    """The service with the options given changed and the others kept."""
    price = service.price
    if args.price is not None:
        price = None if args.price.strip().lower() == "none" else parse_amount(args.price, "--price")
    return ServiceDraft(service.name if args.name is None else args.name,
                        service.description if args.description is None else args.description,
                        price, service.unit if args.unit is None else args.unit)


def agreements(workspace: Workspace, args: argparse.Namespace) -> int:
    contact_id = workspace.contacts.resolve(args.contact)
    draft = AgreementDraft(
        contact_id=contact_id, starts_on=_date(args.start, "--start"),
        ends_on=_date(args.end, "--end") if args.end else None,
        renews_on=_date(args.renews, "--renews") if args.renews else None,
        fee=parse_amount(args.fee, "--fee") if args.fee is not None else None,
        billing_period=BillingPeriod(args.period), review_every_months=args.review_months, notes=args.notes,
        service_names=tuple(args.service))
    agreement = workspace.purchases.add_agreement(draft)
    print(json.dumps(_agreement_json(agreement), ensure_ascii=False, indent=2) if args.json
          else f"Added agreement {agreement.id} from {agreement.starts_on}")
    return 0


def purchases(workspace: Workspace, args: argparse.Namespace) -> int:
    if args.action == "import":
        return _import(workspace, args)
    contact_id = workspace.contacts.resolve(args.contact)
    draft = PurchaseDraft(contact_id=contact_id, on=_date(args.on, "--on"), amount=parse_amount(args.amount, "--amount"),
                          description=args.description, service_name=args.service)
    purchase_id = workspace.purchases.add_purchase(draft)
    result = {"id": purchase_id, "contact": contact_id, "on": draft.on.isoformat(), "amount": money_text(draft.amount),
              "service": args.service, "description": draft.description.strip()}
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else f"Recorded purchase {purchase_id}")
    return 0


def _import(workspace: Workspace, args: argparse.Namespace) -> int:
    result = workspace.purchases.import_csv(args.file, dry_run=args.dry_run)
    for reject in result.rejects:
        print(f"{args.file}:{reject.line}: rejected: {reject.reason}", file=sys.stderr)
    summary = {"imported": result.imported, "rejected": len(result.rejects),
               "rejects": [{"line": reject.line, "reason": reject.reason} for reject in result.rejects],
               "dry_run": result.dry_run}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        verb = "Would import" if result.dry_run else "Imported"
        rejected = len(result.rejects)
        print(f"{verb} {result.imported:,} purchase{'' if result.imported == 1 else 's'}; "
              f"{rejected:,} row{'' if rejected == 1 else 's'} rejected")
    return 0


def metrics(workspace: Workspace, args: argparse.Namespace) -> int:
    as_of = _date(args.as_of, "--as-of") if args.as_of else workspace.metrics.today()
    figures = workspace.metrics.figures(as_of)
    result = {
        "revenue_12m": money_text(figures.revenue_12m),
        "top20_share": _share(figures.top20_share),
        "concentration": {"largest_share": _share(figures.concentration.largest_share),
                          "top3_share": _share(figures.concentration.top3_share),
                          "at_risk": figures.concentration.at_risk},
        "stages": {stage.value: figures.stages[stage] for stage in Stage},
        "retention_rate": _share(figures.retention_rate),
        "repeat_rate": _share(figures.repeat_rate),
        "conversion_rate": _share(figures.conversion_rate),
        "ltv": {"median": _money(figures.ltv_median), "mean": _money(figures.ltv_mean)},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"As of {as_of}: revenue over the last 12 months {result['revenue_12m']}")
    print("  stages: " + ", ".join(f"{name} {count}" for name, count in result["stages"].items()))
    for label, key in (("top fifth's share", "top20_share"), ("retention", "retention_rate"),
                       ("repeat", "repeat_rate"), ("conversion", "conversion_rate")):
        value = result[key]
        print(f"  {label}: {'—' if value is None else f'{value:.1%}'}")
    risk = " (at risk)" if figures.concentration.at_risk else ""
    largest = result["concentration"]["largest_share"]
    print(f"  largest client's share: {'—' if largest is None else f'{largest:.1%}'}{risk}")
    print(f"  lifetime value: median {result['ltv']['median'] or '—'}, mean {result['ltv']['mean'] or '—'}")
    return 0


def _share(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else money_text(value)


def _service_json(service: Service) -> dict:
    return {"id": service.id, "name": service.name, "description": service.description,
            "price": _money(service.price), "unit": service.unit}


def _agreement_json(agreement: Agreement) -> dict:
    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {"id": agreement.id, "contact": agreement.contact_id, "starts_on": day(agreement.starts_on),
            "ends_on": day(agreement.ends_on), "renews_on": day(agreement.renews_on), "fee": _money(agreement.fee),
            "billing_period": agreement.billing_period.value, "review_every_months": agreement.review_every_months,
            "services": list(agreement.service_names), "notes": agreement.notes}


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput([FieldProblem(option, f"“{text}” is not a date such as 2026-11-23.")]) from None
