import WarehouseKit

// One builder struct per table: columns in the table's order (see TableSchemas).

struct UserRows: Sendable {
    var id = Int64Builder(), firstName = TextBuilder(), lastName = TextBuilder(), email = TextBuilder()
    var age = Int64Builder(), gender = TextBuilder(), state = TextBuilder(), streetAddress = TextBuilder()
    var postalCode = TextBuilder(), city = TextBuilder(), country = TextBuilder()
    var latitude = DoubleBuilder(), longitude = DoubleBuilder(), trafficSource = TextBuilder()
    var createdAt = Int64Builder()

    var batch: ColumnBatch {
        ColumnBatch(columns: [
            id.int64Column, firstName.column, lastName.column, email.column, age.int64Column, gender.column,
            state.column, streetAddress.column, postalCode.column, city.column, country.column,
            latitude.column, longitude.column, trafficSource.column, createdAt.timestampColumn,
        ])
    }
}

struct OrderRows: Sendable {
    var orderId = Int64Builder(), userId = Int64Builder(), status = TextBuilder(), gender = TextBuilder()
    var createdAt = Int64Builder(), returnedAt = Int64Builder(), shippedAt = Int64Builder()
    var deliveredAt = Int64Builder(), numOfItem = Int64Builder()

    var batch: ColumnBatch {
        ColumnBatch(columns: [
            orderId.int64Column, userId.int64Column, status.column, gender.column, createdAt.timestampColumn,
            returnedAt.timestampColumn, shippedAt.timestampColumn, deliveredAt.timestampColumn, numOfItem.int64Column,
        ])
    }
}

struct OrderItemRows: Sendable {
    var id = Int64Builder(), orderId = Int64Builder(), userId = Int64Builder(), productId = Int64Builder()
    var inventoryItemId = Int64Builder(), status = TextBuilder(), createdAt = Int64Builder()
    var shippedAt = Int64Builder(), deliveredAt = Int64Builder(), returnedAt = Int64Builder()
    var salePrice = DoubleBuilder()

    var batch: ColumnBatch {
        ColumnBatch(columns: [
            id.int64Column, orderId.int64Column, userId.int64Column, productId.int64Column,
            inventoryItemId.int64Column, status.column, createdAt.timestampColumn, shippedAt.timestampColumn,
            deliveredAt.timestampColumn, returnedAt.timestampColumn, salePrice.column,
        ])
    }
}

struct InventoryRows: Sendable {
    var id = Int64Builder(), productId = Int64Builder(), createdAt = Int64Builder(), soldAt = Int64Builder()
    var cost = DoubleBuilder(), productCategory = TextBuilder(), productName = TextBuilder()
    var productBrand = TextBuilder(), productRetailPrice = DoubleBuilder(), productDepartment = TextBuilder()
    var productSku = TextBuilder(), productDistributionCenterId = Int64Builder()

    mutating func reserve(_ n: Int) {
        id.reserve(n); productId.reserve(n); createdAt.reserve(n); soldAt.reserve(n); cost.reserve(n)
        productCategory.reserve(n); productName.reserve(n); productBrand.reserve(n); productRetailPrice.reserve(n)
        productDepartment.reserve(n); productSku.reserve(n); productDistributionCenterId.reserve(n)
    }

    @inline(__always)
    mutating func append(id: Int64, product: ProductCatalog.Product, createdAt: Int64, soldAt: Int64?) {
        self.id.append(id)
        productId.append(product.id)
        self.createdAt.append(createdAt)
        self.soldAt.append(soldAt, placeholder: 0)
        cost.append(product.cost)
        productCategory.append(product.category)
        productName.append(product.name, placeholder: "")
        productBrand.append(product.brand, placeholder: "")
        productRetailPrice.append(product.retailPrice)
        productDepartment.append(product.department)
        productSku.append(product.sku)
        productDistributionCenterId.append(product.distributionCenterId)
    }

    var batch: ColumnBatch {
        ColumnBatch(columns: [
            id.int64Column, productId.int64Column, createdAt.timestampColumn, soldAt.timestampColumn, cost.column,
            productCategory.column, productName.column, productBrand.column, productRetailPrice.column,
            productDepartment.column, productSku.column, productDistributionCenterId.int64Column,
        ])
    }
}

struct EventRows: Sendable {
    var id = Int64Builder(), userId = Int64Builder(), sequenceNumber = Int64Builder(), sessionId = TextBuilder()
    var createdAt = Int64Builder(), ipAddress = TextBuilder(), city = TextBuilder(), state = TextBuilder()
    var postalCode = TextBuilder(), browser = TextBuilder(), trafficSource = TextBuilder(), uri = TextBuilder()
    var eventType = TextBuilder()

    mutating func reserve(_ n: Int) {
        id.reserve(n); userId.reserve(n); sequenceNumber.reserve(n); sessionId.reserve(n); createdAt.reserve(n)
        ipAddress.reserve(n); city.reserve(n); state.reserve(n); postalCode.reserve(n); browser.reserve(n)
        trafficSource.reserve(n); uri.reserve(n); eventType.reserve(n)
    }

    var batch: ColumnBatch {
        ColumnBatch(columns: [
            id.int64Column, userId.int64Column, sequenceNumber.int64Column, sessionId.column,
            createdAt.timestampColumn, ipAddress.column, city.column, state.column, postalCode.column,
            browser.column, trafficSource.column, uri.column, eventType.column,
        ])
    }
}

struct AssignmentRows: Sendable {
    var userId = Int64Builder(), experimentName = TextBuilder(), variant = TextBuilder(), assignedAt = Int64Builder()

    var batch: ColumnBatch {
        ColumnBatch(columns: [userId.int64Column, experimentName.column, variant.column, assignedAt.timestampColumn])
    }
}

struct ShipmentRows: Sendable {
    var orderId = Int64Builder(), distributionCenterId = Int64Builder(), carrier = TextBuilder()
    var shippingCost = DoubleBuilder(), shippedAt = Int64Builder(), deliveredAt = Int64Builder()
    var promisedDays = Int64Builder(), actualDays = Int64Builder(), trackingStatus = TextBuilder()

    var batch: ColumnBatch {
        ColumnBatch(columns: [
            orderId.int64Column, distributionCenterId.int64Column, carrier.column, shippingCost.column,
            shippedAt.timestampColumn, deliveredAt.timestampColumn, promisedDays.int64Column,
            actualDays.int64Column, trackingStatus.column,
        ])
    }
}

struct TicketRows: Sendable {
    var ticketId = Int64Builder(), userId = Int64Builder(), orderId = Int64Builder(), openedAt = Int64Builder()
    var closedAt = Int64Builder(), channel = TextBuilder(), category = TextBuilder(), priority = TextBuilder()
    var satisfaction = Int64Builder()

    var batch: ColumnBatch {
        ColumnBatch(columns: [
            ticketId.int64Column, userId.int64Column, orderId.int64Column, openedAt.timestampColumn,
            closedAt.timestampColumn, channel.column, category.column, priority.column, satisfaction.int64Column,
        ])
    }
}

struct SegmentRows: Sendable {
    var userId = Int64Builder(), segment = TextBuilder(), campaign = TextBuilder(), validFrom = Int64Builder()

    var batch: ColumnBatch {
        ColumnBatch(columns: [userId.int64Column, segment.column, campaign.column, validFrom.timestampColumn])
    }
}

/// Everything one chunk of users produced, with chunk-local ids (0-based) for orders, items,
/// inventory rows, events and tickets until `shiftIds` moves them to their global place.
struct ChunkRows: Sendable {
    var users = UserRows()
    var orders = OrderRows()
    var orderItems = OrderItemRows()
    var inventory = InventoryRows()
    var events = EventRows()
    var assignments = AssignmentRows()
    var shipments = ShipmentRows()
    var tickets = TicketRows()
    var segments = SegmentRows()

    mutating func shiftIds(order: Int64, orderItem: Int64, inventoryItem: Int64, event: Int64, ticket: Int64) {
        orders.orderId.offset(by: order)
        orderItems.id.offset(by: orderItem)
        orderItems.orderId.offset(by: order)
        orderItems.inventoryItemId.offset(by: inventoryItem)
        inventory.id.offset(by: inventoryItem)
        events.id.offset(by: event)
        shipments.orderId.offset(by: order)
        tickets.ticketId.offset(by: ticket)
        tickets.orderId.offset(by: order)
    }

    /// Non-empty tables of the chunk as batches, in `StoreTable` order.
    var batches: [(StoreTable, ColumnBatch)] {
        var out: [(StoreTable, ColumnBatch)] = []
        if users.id.count > 0 { out.append((.users, users.batch)) }
        if orders.orderId.count > 0 { out.append((.orders, orders.batch)) }
        if orderItems.id.count > 0 { out.append((.order_items, orderItems.batch)) }
        if inventory.id.count > 0 { out.append((.inventory_items, inventory.batch)) }
        if events.id.count > 0 { out.append((.events, events.batch)) }
        if assignments.userId.count > 0 { out.append((.experiment_assignments, assignments.batch)) }
        if shipments.orderId.count > 0 { out.append((.shipments, shipments.batch)) }
        if tickets.ticketId.count > 0 { out.append((.support_tickets, tickets.batch)) }
        if segments.userId.count > 0 { out.append((.user_segments, segments.batch)) }
        return out
    }
}
