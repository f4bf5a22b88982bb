"""Each operation as the core's host-neutral JSON form of a call
(``{"operation": "getBalance", "input": {...}, "customerId": ...}``) and the
typed result its answer becomes. Shared by both clients; nothing is
validated here: the core does that, once, for every language."""

from __future__ import annotations

from .._models import ResultList
from .._operations import _camel
from ._models import (
    Bank, Customer, CustomerPage, DataPage, DataRefresh, DataResult, Destination, Entity, Payment, PaymentIntent,
)

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from datetime import date
    from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, TypeVar, Union

    Day = Union[str, date]

    T = TypeVar("T")
    Spec = Tuple[Dict[str, Any], Callable[[Any], T]]


def _body(data: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> Any:
    """One mapping in the API's shape, keywords, or both (keywords win).
    The API's names are snake_case, so keywords are the wire names."""
    from collections.abc import Mapping

    if not fields:
        return {} if data is None else dict(data) if isinstance(data, Mapping) else data
    merged: Dict[str, Any] = {} if data is None else dict(data)
    merged.update(fields)
    return merged


def _entities(items: Any) -> ResultList[Entity]:
    return ResultList(Entity(e) for e in items)


def _destinations(items: Any) -> ResultList[Destination]:
    return ResultList(Destination(d) for d in items)


def create_customer(data: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> Spec[Customer]:
    return {"operation": "createCustomer", "input": _body(data, fields)}, Customer


def get_customer(customer_id: str) -> Spec[Customer]:
    return {"operation": "getCustomer", "customerId": customer_id}, Customer


def get_customer_by_app_user_id(app_user_id: str) -> Spec[Customer]:
    return {"operation": "getCustomerByAppUserId", "appUserId": app_user_id}, Customer


def list_customers(page_number: Optional[int], page_size: Optional[int]) -> Spec[CustomerPage]:
    return {"operation": "listCustomers", "pageNumber": page_number, "pageSize": page_size}, CustomerPage


def list_entities(customer_id: str) -> Spec[ResultList[Entity]]:
    return {"operation": "listEntities", "customerId": customer_id}, _entities


def get_entity(customer_id: str, entity_id: str) -> Spec[Entity]:
    return {"operation": "getEntity", "customerId": customer_id, "entityId": entity_id}, Entity


def data(
    operation: str, entity_id: str, account_id: Optional[str], asynchronous: bool,
    start_date: Optional[Day] = None, end_date: Optional[Day] = None, insights: bool = False,
) -> Spec[DataResult]:
    body: Dict[str, Any] = {"entity_id": entity_id, "async": asynchronous}
    if operation in ("getBalance", "getTransactions"):
        body["account_id"] = account_id
    # Only what was given: the core refuses dates on the other data calls,
    # and sends none it was not given.
    for key, value in (("start_date", start_date), ("end_date", end_date)):
        if value is not None:
            body[key] = value
    if insights is not False:
        body["insights"] = insights
    return {"operation": operation, "input": body}, DataResult


def get_data_results(results_id: str) -> Spec[DataResult]:
    return {"operation": "getDataResults", "resultsId": results_id}, DataResult


def create_payment_intent(data: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> Spec[PaymentIntent]:
    return {"operation": "createPaymentIntent", "input": _body(data, fields)}, PaymentIntent


def get_payment_intent(payment_intent_id: str) -> Spec[PaymentIntent]:
    return {"operation": "getPaymentIntent", "paymentIntentId": payment_intent_id}, PaymentIntent


def create_payment_destination(data: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> Spec[Destination]:
    return {"operation": "createPaymentDestination", "input": _body(data, fields)}, Destination


def list_payment_destinations() -> Spec[ResultList[Destination]]:
    return {"operation": "listPaymentDestinations"}, _destinations


def _banks(items: Any) -> ResultList[Bank]:
    return ResultList(Bank(b) for b in items)


def list_banks(account_types: Optional[str]) -> Spec[ResultList[Bank]]:
    return {"operation": "listBanks", "accountTypes": account_types}, _banks


def get_payment(payment_id: str) -> Spec[Payment]:
    return {"operation": "getPayment", "paymentId": payment_id}, Payment


def list_payment_intents() -> Spec[ResultList[PaymentIntent]]:
    return {"operation": "listPaymentIntents"}, _intents


def _intents(items: Any) -> ResultList[PaymentIntent]:
    return ResultList(PaymentIntent(i) for i in items)


def list_entities_by_date(
    start_date: Day, end_date: Day, page_number: Optional[int], page_size: Optional[int]
) -> Spec[ResultList[Entity]]:
    return {
        "operation": "listEntitiesByDate", "startDate": start_date, "endDate": end_date,
        "pageNumber": page_number, "pageSize": page_size,
    }, _entities


def data_page(
    operation: str, entity_id: str, account_id: Optional[str], page_number: Optional[int], page_size: Optional[int]
) -> Spec[DataPage]:
    """A data v2 read: ``listAccounts`` and ``listIdentities`` read the
    entity, the ``listAccount...`` reads one of its accounts."""
    call: Dict[str, Any] = {"operation": operation, "entityId": entity_id, "pageNumber": page_number, "pageSize": page_size}
    if operation.startswith("listAccount") and operation != "listAccounts":
        call["accountId"] = account_id
    return call, DataPage


def create_data_refresh(entity_id: str) -> Spec[DataRefresh]:
    return {"operation": "createDataRefresh", "entityId": entity_id}, DataRefresh


def get_data_refresh(refresh_id: str) -> Spec[DataRefresh]:
    return {"operation": "getDataRefresh", "refreshId": refresh_id}, DataRefresh


def _refreshes(items: Any) -> ResultList[DataRefresh]:
    return ResultList(DataRefresh(r) for r in items)


def list_data_refreshes(
    entity_id: str, page_number: Optional[int], page_size: Optional[int]
) -> Spec[ResultList[DataRefresh]]:
    return {
        "operation": "listDataRefreshes", "entityId": entity_id, "pageNumber": page_number, "pageSize": page_size,
    }, _refreshes


def operation_name(name: str) -> str:
    """``create_payment_intent`` -> ``createPaymentIntent``; camelCase names
    pass unchanged."""
    return _camel(name)
