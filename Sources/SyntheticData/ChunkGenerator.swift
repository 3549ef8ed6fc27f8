import Foundation
import WarehouseKit

/// A user's identity-level traits: a pure function of (seed, id, creation window), so an append
/// run can recompute any existing user without reading the warehouse.
struct UserCore {
    let id: Int64
    let createdAt: Int64
    let isMale: Bool
    let place: Vocabulary.Place
    let country: String
    let city: String
    let latitude: Double
    let longitude: Double
    let churnProne: Bool
}

/// An experiment exposure of a user and, when the user converts, the time of that order.
struct Exposure {
    let experiment: Int
    let variant: Int
    let assignedAt: Int64
    let conversionAt: Int64?
}

/// Generates every row one range of users contributes to one run. Pure and deterministic:
/// each user's rows come from streams keyed by (seed, user id[, run]).
struct ChunkGenerator: Sendable {
    let plan: RunPlan
    let catalog: ProductCatalog
    let tables: LookupTables

    /// Draw tables derived from the vocabulary once per run.
    struct LookupTables: Sendable {
        let countryChoice: WeightedChoice<Int>
        let statusChurnProne: WeightedChoice<OrderStatus>
        let statusOthers: WeightedChoice<OrderStatus>
        /// [department][category] → partner category index or -1.
        let affinity: [[Int]]
        let affinityProbability: [[Double]]
        let maxSeasonalWeight: Double
        let lowerFirstMale: [String]
        let lowerFirstFemale: [String]
        let lowerLast: [String]

        init() {
            countryChoice = WeightedChoice(Vocabulary.countries.enumerated().map { ($0.offset, $0.element.weight) })
            func statuses(returned: Double) -> WeightedChoice<OrderStatus> {
                let others = Vocabulary.orderStatusShares.filter { $0.0 != .returned }
                let scale = (1 - returned) / others.reduce(0) { $0 + $1.1 }
                return WeightedChoice(others.map { ($0.0, $0.1 * scale) } + [(.returned, returned)])
            }
            statusChurnProne = statuses(returned: PlantedTruths.returnedShareChurnProne)
            statusOthers = statuses(returned: PlantedTruths.returnedShareOthers)
            let names = ProductCatalog.categories.map(\.name)
            var affinity = Array(repeating: Array(repeating: -1, count: names.count), count: 2)
            var probability = Array(repeating: Array(repeating: 0.0, count: names.count), count: 2)
            for pair in PlantedTruths.crossSellAffinities {
                let department = pair.department == "Men" ? 0 : 1
                guard let from = names.firstIndex(of: pair.fromCategory), let to = names.firstIndex(of: pair.toCategory)
                else { continue }
                affinity[department][from] = to
                probability[department][from] = pair.probability
            }
            self.affinity = affinity
            affinityProbability = probability
            maxSeasonalWeight = PlantedTruths.weekdayMultipliers.max()! * PlantedTruths.monthMultipliers.max()!
            lowerFirstMale = Vocabulary.maleFirstNames.map { $0.lowercased().filter { $0 != "-" } }
            lowerFirstFemale = Vocabulary.femaleFirstNames.map { $0.lowercased().filter { $0 != "-" } }
            lowerLast = Vocabulary.lastNames.map { $0.lowercased() }
        }
    }

    static let userSessionShape: [EventType] = [.home, .department, .product, .cart, .purchase]

    func generate(users: ClosedRange<Int64>) -> ChunkRows {
        var rows = ChunkRows()
        // Expected rows per new user (events ≈ 25, inventory ≈ 5) plus slack, to avoid regrowth.
        let newUsers = max(0, Int(min(users.upperBound, plan.totalUsers) - max(users.lowerBound, plan.creationWindows.last!.firstUserId) + 1))
        let existing = users.count - newUsers
        rows.events.reserve(newUsers * 27 + existing / 10)
        rows.inventory.reserve(newUsers * 6 + existing / 50)
        for id in users { generateUser(id, into: &rows) }
        return rows
    }

    // MARK: - Users

    func core(of id: Int64, created window: RunPlan.CreationWindow) -> UserCore {
        var rng = SeededRandom(seed: plan.seed, stream: .userCore, UInt64(id))
        let createdAt: Int64
        switch plan.profile {
        case .thelook where window.isInitial:
            // TheLook: 97.5% uniform over the history, 2.5% in the last 7 days.
            let recent = rng.chance(0.025)
            let low = recent ? max(window.start, window.end - 7 * Micros.day) : window.start
            createdAt = low + rng.int64(below: max(1, window.end - low))
        case .thelook:
            createdAt = window.start + rng.int64(below: max(1, window.end - window.start))
        case .growing:
            // Each user takes their own slice of the sign-up curve, in id order (as a shop's
            // auto-increment ids are): a year's sign-ups then match the curve instead of
            // scattering by a few percent, which would blur the growth rate at small scales.
            // Two draws, as TheLook's first-load rule takes, so a user's name, country and
            // traits are the same under either profile for the same seed.
            let slice = rng.unit()
            _ = rng.next()
            let count = Double(window.lastUserId - window.firstUserId + 1)
            createdAt = plan.signUpTime((Double(id - window.firstUserId) + slice) / count, from: window.start, to: window.end)
        }
        let isMale = rng.chance(0.5)
        let country = Vocabulary.countries[tables.countryChoice.pick(&rng)]
        let place = country.places[rng.int(below: country.places.count)]
        let native = rng.chance(0.005)
        let nullCity = rng.chance(0.01)
        let churnProne = rng.chance(PlantedTruths.churnProneShare)
        let latitude = ((place.latitude + rng.double(in: -0.05, 0.05)) * 1e4).rounded() / 1e4
        let longitude = ((place.longitude + rng.double(in: -0.05, 0.05)) * 1e4).rounded() / 1e4
        return UserCore(
            id: id, createdAt: createdAt, isMale: isMale, place: place,
            country: native ? (Vocabulary.nativeCountrySpellings[country.name] ?? country.name) : country.name,
            city: nullCity ? "null" : place.city, latitude: latitude, longitude: longitude, churnProne: churnProne)
    }

    func exposure(of user: UserCore) -> Exposure? {
        var rng = SeededRandom(seed: plan.seed, stream: .experiment, UInt64(user.id))
        let slot = rng.int(below: 4)
        guard slot < plan.experiments.count else { return nil }
        let experiment = plan.experiments[slot]
        let variant = rng.int(below: experiment.truth.variants.count)
        let assignU = rng.unit(), convertU = rng.unit(), offsetU = rng.unit()
        guard user.createdAt < experiment.end else { return nil }
        let from = max(experiment.start, user.createdAt)
        let assignedAt = from + Int64(assignU * Double(experiment.end - from))
        if plan.profile == .growing {
            let years = Double(assignedAt - user.createdAt) / (CustomerLifetime.experimentVisitHalfLifeDays * Double(Micros.day))
            guard rng.unit() < Foundation.pow(0.5, years) else { return nil }
        }
        let window = Int64(PlantedTruths.conversionWindowDays) * Micros.day
        let conversionAt = convertU < experiment.truth.conversionRates[variant]
            ? assignedAt + Int64(offsetU * Double(window)) : nil
        return Exposure(experiment: slot, variant: variant, assignedAt: assignedAt, conversionAt: conversionAt)
    }

    private func generateUser(_ id: Int64, into rows: inout ChunkRows) {
        let window = plan.creationWindow(of: id)
        let user = core(of: id, created: window)
        let isNew = window.runNumber == plan.runNumber
        if isNew { appendProfile(user, into: &rows) }

        let exposure = exposure(of: user)
        if let exposure, exposure.assignedAt >= plan.windowStart, exposure.assignedAt < plan.windowEnd {
            let experiment = plan.experiments[exposure.experiment].truth
            rows.assignments.userId.append(id)
            rows.assignments.experimentName.append(experiment.name)
            rows.assignments.variant.append(experiment.variants[exposure.variant])
            rows.assignments.assignedAt.append(exposure.assignedAt)
        }

        var rng = SeededRandom(seed: plan.seed, stream: .activity, UInt64(id), UInt64(plan.runNumber))
        var orders: [(time: Int64, items: WeightedChoice<Int>)] = []
        switch plan.profile {
        case .thelook:
            orders = theLookOrganicOrders(of: user, isNew: isNew, exposure: exposure, &rng)
        case .growing:
            forEachLifetimeOrder(of: user, exposure: exposure) { time, first, suppressed in
                if !suppressed, keepsOrganicOrder(at: time, first: first, &rng) { orders.append((time, Vocabulary.itemsPerOrder)) }
            }
        }
        if let exposure, let at = exposure.conversionAt, at >= plan.windowStart, at < plan.windowEnd {
            orders.append((at, plan.experiments[exposure.experiment].truth.itemsPerOrder[exposure.variant]))
        }
        orders.sort { $0.time < $1.time }
        for order in orders { appendOrder(of: user, at: order.time, items: order.items, &rng, into: &rows) }

        // Tickets not about an order (account, billing questions).
        let ticketLow = isNew ? user.createdAt : max(plan.windowStart, user.createdAt)
        let ticketChance = isNew ? 0.03 : 0.03 * Double(plan.windowEnd - ticketLow) / Double(365 * Micros.day)
        if plan.windowEnd > ticketLow, rng.chance(ticketChance) {
            let opened = ticketLow + rng.int64(below: plan.windowEnd - ticketLow)
            appendTicket(user: user, orderId: nil, returned: false, openedAt: opened, &rng, into: &rows)
        }

        if isNew { appendGhostSessions(forNewUser: id, into: &rows) }
    }

    /// TheLook's rule: a drawn number of orders, uniform (thinned by season) between sign-up and
    /// the window's end; in appended windows, existing users order at one order per user-year.
    private func theLookOrganicOrders(of user: UserCore, isNew: Bool, exposure: Exposure?,
                                      _ rng: inout SeededRandom) -> [(time: Int64, items: WeightedChoice<Int>)]
    {
        let activeEnd = user.churnProne
            ? user.createdAt + Int64(PlantedTruths.churnProneActiveDays) * Micros.day : Int64.max
        let low = isNew ? user.createdAt : max(plan.windowStart, user.createdAt)
        let high = min(plan.windowEnd, activeEnd)
        let count: Int
        if isNew {
            count = Vocabulary.ordersPerUser(churnProne: user.churnProne).pick(&rng)
        } else {
            let days = Double(max(0, high - low)) / Double(Micros.day)
            count = rng.poisson(mean: days * PlantedTruths.appendOrdersPerUserDay)
        }
        var orders: [(time: Int64, items: WeightedChoice<Int>)] = []
        if high > low {
            let window = Int64(PlantedTruths.conversionWindowDays) * Micros.day
            for _ in 0..<count {
                let time = seasonalTime(low, high, &rng)
                // Exposed users' orders in the conversion window come only from the experiment draw.
                if let exposure, time >= exposure.assignedAt, time < exposure.assignedAt + window { continue }
                orders.append((time, Vocabulary.itemsPerOrder))
            }
        }
        return orders
    }

    private func appendProfile(_ user: UserCore, into rows: inout ChunkRows) {
        var rng = SeededRandom(seed: plan.seed, stream: .userProfile, UInt64(user.id))
        let firstIndex = rng.int(below: Vocabulary.maleFirstNames.count)
        let lastIndex = rng.int(below: Vocabulary.lastNames.count)
        let first = user.isMale ? Vocabulary.maleFirstNames[firstIndex] : Vocabulary.femaleFirstNames[firstIndex]
        let lowerFirst = user.isMale ? tables.lowerFirstMale[firstIndex] : tables.lowerFirstFemale[firstIndex]
        let domain = Vocabulary.emailDomains[rng.int(below: Vocabulary.emailDomains.count)]
        let houseNumber = rng.int(in: 1...9999)
        let street = Vocabulary.streetNames[rng.int(below: Vocabulary.streetNames.count)]
        let suffix = Vocabulary.streetSuffixes[rng.int(below: Vocabulary.streetSuffixes.count)]
        rows.users.id.append(user.id)
        rows.users.firstName.append(first)
        rows.users.lastName.append(Vocabulary.lastNames[lastIndex])
        rows.users.email.append(lowerFirst + tables.lowerLast[lastIndex] + "@" + domain)
        rows.users.age.append(Int64(rng.int(in: 12...70)))
        rows.users.gender.append(user.isMale ? "M" : "F")
        rows.users.state.append(user.place.state)
        rows.users.streetAddress.append(String(houseNumber) + " " + street + " " + suffix)
        rows.users.postalCode.append(user.place.postalCode)
        rows.users.city.append(user.city)
        rows.users.country.append(user.country)
        rows.users.latitude.append(user.latitude)
        rows.users.longitude.append(user.longitude)
        rows.users.trafficSource.append(Vocabulary.userTrafficSources.pick(&rng))
        rows.users.createdAt.append(user.createdAt)

        // Marketing segment; churn-prone users are often flagged at risk by the CRM.
        let segment = user.churnProne && rng.chance(PlantedTruths.atRiskSegmentShareChurnProne)
            ? "at_risk" : Vocabulary.segments.pick(&rng)
        let campaign = Vocabulary.campaigns.pick(&rng)
        var validFrom = user.createdAt + rng.int64(below: 30 * Micros.day)
        if validFrom >= plan.windowEnd { validFrom = user.createdAt }
        rows.segments.userId.append(user.id)
        rows.segments.segment.append(segment)
        rows.segments.campaign.append(campaign, placeholder: "")
        rows.segments.validFrom.append(validFrom)
        // Some users are re-segmented later: a second row with a later valid_from.
        if rng.chance(0.15) {
            let later = validFrom + 30 * Micros.day + rng.int64(below: 335 * Micros.day)
            let next = Vocabulary.segments.pick(&rng)
            if later < plan.windowEnd {
                rows.segments.userId.append(user.id)
                rows.segments.segment.append(next)
                rows.segments.campaign.append(Vocabulary.campaigns.pick(&rng), placeholder: "")
                rows.segments.validFrom.append(later)
            }
        }
    }

    /// A uniform time in [low, high) thinned by the weekday and month multipliers.
    func seasonalTime(_ low: Int64, _ high: Int64, _ rng: inout SeededRandom) -> Int64 {
        var time = low
        for _ in 0..<64 {
            time = low + rng.int64(below: high - low)
            let days = Int(time / Micros.day)
            let weekday = ((days % 7) + 7 + 3) % 7
            let month = CivilDate(daysSinceEpoch: days).month
            let weight = PlantedTruths.weekdayMultipliers[weekday] * PlantedTruths.monthMultipliers[month - 1]
            if rng.unit() * tables.maxSeasonalWeight < weight { return time }
        }
        return time
    }

    // MARK: - Orders

    private func appendOrder(of user: UserCore, at created: Int64, items: WeightedChoice<Int>,
                             _ rng: inout SeededRandom, into rows: inout ChunkRows)
    {
        let status = (user.churnProne ? tables.statusChurnProne : tables.statusOthers).pick(&rng)
        let shipped: Int64? = status.hasShipped ? created + rng.int64(below: 3 * Micros.day) : nil
        let delivered: Int64? = status.hasDelivered ? shipped! + rng.int64(below: 5 * Micros.day) : nil
        let returned: Int64? = status == .returned ? delivered! + rng.int64(below: 3 * Micros.day) : nil
        let itemCount = items.pick(&rng)
        let orderId = Int64(rows.orders.orderId.count)
        let gender = user.isMale ? "M" : "F"

        rows.orders.orderId.append(orderId)
        rows.orders.userId.append(user.id)
        rows.orders.status.append(status.rawValue)
        rows.orders.gender.append(gender)
        rows.orders.createdAt.append(created)
        rows.orders.returnedAt.append(returned, placeholder: 0)
        rows.orders.shippedAt.append(shipped, placeholder: 0)
        rows.orders.deliveredAt.append(delivered, placeholder: 0)
        rows.orders.numOfItem.append(Int64(itemCount))

        let department = user.isMale ? 0 : 1
        var previousCategory = -1
        var firstDistributionCenter: Int64 = 1
        for index in 0..<itemCount {
            let product = pickProduct(department: department, after: previousCategory, &rng)
            previousCategory = product.categoryIndex
            if index == 0 { firstDistributionCenter = product.distributionCenterId }
            let itemCreated = created - rng.int64(below: 4 * Micros.hour)

            let inventoryId = Int64(rows.inventory.id.count)
            rows.inventory.append(id: inventoryId, product: product,
                                  createdAt: itemCreated - rng.int64(below: 60 * Micros.day), soldAt: itemCreated)
            let unsold = Vocabulary.unsoldInventoryPerItem.pick(&rng)
            for _ in 0..<unsold {
                rows.inventory.append(id: Int64(rows.inventory.id.count), product: product,
                                      createdAt: itemCreated - rng.int64(below: 60 * Micros.day), soldAt: nil)
            }

            rows.orderItems.id.append(Int64(rows.orderItems.id.count))
            rows.orderItems.orderId.append(orderId)
            rows.orderItems.userId.append(user.id)
            rows.orderItems.productId.append(product.id)
            rows.orderItems.inventoryItemId.append(inventoryId)
            rows.orderItems.status.append(status.rawValue)
            rows.orderItems.createdAt.append(itemCreated)
            rows.orderItems.shippedAt.append(shipped, placeholder: 0)
            rows.orderItems.deliveredAt.append(delivered, placeholder: 0)
            rows.orderItems.returnedAt.append(returned, placeholder: 0)
            rows.orderItems.salePrice.append(product.retailPrice)

            appendSession(userId: user.id, city: user.city, place: user.place, shape: ChunkGenerator.userSessionShape,
                          product: product, start: itemCreated, &rng, into: &rows)
        }

        if let shipped {
            let carrier = Vocabulary.carriers.pick(&rng)
            let cost = Vocabulary.carrierBaseCost[carrier]! + 1.5 * Double(itemCount - 1) + rng.double(in: 0, 3)
            rows.shipments.orderId.append(orderId)
            rows.shipments.distributionCenterId.append(firstDistributionCenter)
            rows.shipments.carrier.append(carrier)
            rows.shipments.shippingCost.append((cost * 100).rounded() / 100)
            rows.shipments.shippedAt.append(shipped)
            rows.shipments.deliveredAt.append(delivered, placeholder: 0)
            rows.shipments.promisedDays.append(Vocabulary.carrierPromisedDays[carrier]!)
            rows.shipments.actualDays.append(delivered.map { ($0 - shipped) / Micros.day }, placeholder: 0)
            rows.shipments.trackingStatus.append(status == .shipped ? "in_transit" : status == .complete ? "delivered" : "returned")
        }

        let ticketProbability = status == .returned ? PlantedTruths.ticketProbabilityReturned : PlantedTruths.ticketProbabilityOther
        if rng.chance(ticketProbability) {
            let opened = (delivered ?? shipped ?? created) + rng.int64(below: 5 * Micros.day)
            if opened < plan.windowEnd {
                appendTicket(user: user, orderId: orderId, returned: status == .returned, openedAt: opened, &rng, into: &rows)
            }
        }
    }

    @inline(__always)
    private func pickProduct(department: Int, after previousCategory: Int, _ rng: inout SeededRandom) -> ProductCatalog.Product {
        if previousCategory >= 0 {
            let partner = tables.affinity[department][previousCategory]
            if partner >= 0, rng.chance(tables.affinityProbability[department][previousCategory]) {
                let pool = catalog.productsByDepartmentCategory[department][partner]
                return catalog.products[pool[rng.int(below: pool.count)]]
            }
        }
        let pool = catalog.productsByDepartment[department]
        return catalog.products[pool[rng.int(below: pool.count)]]
    }

    private func appendTicket(user: UserCore, orderId: Int64?, returned: Bool, openedAt: Int64,
                              _ rng: inout SeededRandom, into rows: inout ChunkRows)
    {
        let closed = openedAt + Micros.hour + rng.int64(below: 5 * Micros.day)
        let category = orderId == nil ? Vocabulary.accountTicketCategories.pick(&rng)
            : returned ? "return" : Vocabulary.orderTicketCategories.pick(&rng)
        let satisfaction = (user.churnProne ? Vocabulary.satisfactionChurnProne : Vocabulary.satisfactionOthers).pick(&rng)
        let isClosed = closed < plan.windowEnd
        rows.tickets.ticketId.append(Int64(rows.tickets.ticketId.count))
        rows.tickets.userId.append(user.id)
        rows.tickets.orderId.append(orderId, placeholder: 0)
        rows.tickets.openedAt.append(openedAt)
        rows.tickets.closedAt.append(isClosed ? closed : nil, placeholder: 0)
        rows.tickets.channel.append(Vocabulary.ticketChannels.pick(&rng))
        rows.tickets.category.append(category)
        rows.tickets.priority.append(Vocabulary.ticketPriorities.pick(&rng))
        rows.tickets.satisfaction.append(isClosed ? satisfaction : nil, placeholder: 0)
    }

    // MARK: - Events

    private func appendGhostSessions(forNewUser id: Int64, into rows: inout ChunkRows) {
        var rng = SeededRandom(seed: plan.seed, stream: .ghost, UInt64(id))
        let sessions = rng.int(in: PlantedTruths.ghostSessionsPerNewUser)
        for _ in 0..<sessions {
            let shape = Vocabulary.ghostSessionShapes.pick(&rng)
            let country = Vocabulary.countries[tables.countryChoice.pick(&rng)]
            let place = country.places[rng.int(below: country.places.count)]
            let product = catalog.products[rng.int(below: catalog.products.count)]
            // Anonymous traffic grows with the store (growing profile) like sign-ups do.
            let start = plan.profile == .growing
                ? plan.signUpTime(rng.unit(), from: plan.windowStart, to: plan.windowEnd)
                : plan.windowStart + rng.int64(below: plan.windowEnd - plan.windowStart)
            appendSession(userId: nil, city: place.city, place: place, shape: shape, product: product,
                          start: start, &rng, into: &rows)
        }
    }

    private func appendSession(userId: Int64?, city: String, place: Vocabulary.Place, shape: [EventType],
                               product: ProductCatalog.Product, start: Int64,
                               _ rng: inout SeededRandom, into rows: inout ChunkRows)
    {
        let session = TextFormatting.uuid(&rng)
        let ip = TextFormatting.ipv4(&rng)
        let browser = Vocabulary.browsers.pick(&rng)
        let source = Vocabulary.eventTrafficSources.pick(&rng)
        var time = start
        for (index, type) in shape.enumerated() {
            if index > 0 { time += rng.int64(below: 3 * Micros.minute + 1) }
            let uri: String
            switch type {
            case .home: uri = "/home"
            case .department: uri = product.departmentURI
            case .product: uri = product.productURI
            case .cart: uri = "/cart"
            case .purchase: uri = "/purchase"
            case .cancel: uri = "/cancel"
            }
            rows.events.id.append(Int64(rows.events.id.count))
            rows.events.userId.append(userId, placeholder: 0)
            rows.events.sequenceNumber.append(Int64(index + 1))
            rows.events.sessionId.append(session)
            rows.events.createdAt.append(time)
            rows.events.ipAddress.append(ip)
            rows.events.city.append(city)
            rows.events.state.append(place.state)
            rows.events.postalCode.append(place.postalCode)
            rows.events.browser.append(browser)
            rows.events.trafficSource.append(source)
            rows.events.uri.append(uri)
            rows.events.eventType.append(type.rawValue)
        }
    }
}
