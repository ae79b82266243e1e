// SPDX-License-Identifier: MIT
#include "services/quickfind.h"

#include "records/activationcoderepository.h"
#include "services/customerlistquery.h"

namespace simdesk {

namespace {

// Cards of `filter`: two rows tell one match from several.
Result<QuickFindHit> cardsOf(QSqlDatabase db, const SimListFilter &filter)
{
    Result<SimListPage> page = SimListQuery(db).firstPage(filter, {}, 2);
    if (!page)
        return page.error();
    QuickFindHit hit;
    if (page->rows.size() == 1) {
        hit.kind = QuickFindHit::Kind::Card;
        hit.id = page->rows.first().id;
    } else if (page->rows.size() > 1) {
        hit.kind = QuickFindHit::Kind::Cards;
        hit.cards = filter;
    }
    return hit;
}

} // namespace

Result<QuickFindHit> QuickFind::find(QSqlDatabase db, const QString &text)
{
    const QStringList lines = SimListQuery::splitIdentifierList(text);
    if (lines.isEmpty())
        return QuickFindHit {};
    if (lines.size() > 1) {
        SimListFilter filter;
        filter.identifiers = lines;
        return cardsOf(db, filter);
    }
    const QString typed = lines.first();
    // A customer number in full. The search finds it among longer numbers too, first in
    // number order.
    CustomerListQuery customers(db);
    Result<CustomerListPage> byNumber
        = customers.firstPage(typed, { CustomerSortKey::Number, Qt::AscendingOrder }, 1);
    if (!byNumber)
        return byNumber.error();
    if (!byNumber->rows.isEmpty()
        && byNumber->rows.first().customerNo.compare(typed, Qt::CaseInsensitive) == 0) {
        QuickFindHit hit;
        hit.kind = QuickFindHit::Kind::Customer;
        hit.id = byNumber->rows.first().id;
        return hit;
    }
    SimListFilter filter;
    filter.search = typed;
    Result<QuickFindHit> card = cardsOf(db, filter);
    if (!card || card->kind != QuickFindHit::Kind::Nothing)
        return card;
    Result<ActivationCode> code = ActivationCodeRepository(db).find(typed);
    if (code) {
        QuickFindHit hit;
        hit.kind = QuickFindHit::Kind::Code;
        hit.id = code->id;
        hit.code = *code;
        return hit;
    }
    if (code.error().code != ErrorCode::ActivationCodeUnknown)
        return code.error();
    Result<CustomerListPage> byText
        = customers.firstPage(typed, { CustomerSortKey::Name, Qt::AscendingOrder }, 2);
    if (!byText)
        return byText.error();
    QuickFindHit hit;
    if (byText->rows.size() == 1) {
        hit.kind = QuickFindHit::Kind::Customer;
        hit.id = byText->rows.first().id;
    } else if (byText->rows.size() > 1) {
        hit.kind = QuickFindHit::Kind::Customers;
        hit.search = typed;
    }
    return hit;
}

} // namespace simdesk
