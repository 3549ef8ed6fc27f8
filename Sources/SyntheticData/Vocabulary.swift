/// Fixed word lists and value domains of the TheLook-compatible data (see datasets.md §1).
enum Vocabulary {
    static let maleFirstNames = [
        "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles",
        "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua",
        "Kevin", "Brian", "George", "Timothy", "Ronald", "Jason", "Edward", "Jeffrey", "Ryan", "Jacob",
        "Gary", "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin",
        "Wei", "Jun", "Min-jun", "Lucas", "Mateus", "Hiroshi", "Pierre", "Hans", "Carlos", "Piotr",
    ]
    static let femaleFirstNames = [
        "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
        "Lisa", "Nancy", "Betty", "Margaret", "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle",
        "Carol", "Amanda", "Dorothy", "Melissa", "Deborah", "Stephanie", "Rebecca", "Sharon", "Laura", "Cynthia",
        "Kathleen", "Amy", "Angela", "Shirley", "Anna", "Brenda", "Pamela", "Emma", "Nicole", "Helen",
        "Li", "Xiu", "Seo-yeon", "Ana", "Beatriz", "Yuki", "Camille", "Greta", "Lucia", "Zofia",
    ]
    static let lastNames = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
        "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
        "Wang", "Zhang", "Liu", "Chen", "Kim", "Park", "Silva", "Santos", "Dubois", "Muller",
    ]
    static let streetNames = [
        "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
        "Sunset", "River", "Church", "Spring", "Highland", "Forest", "Meadow", "Lincoln", "Jackson", "Willow",
    ]
    static let streetSuffixes = ["Street", "Avenue", "Road", "Lane", "Drive", "Way", "Court", "Boulevard"]
    static let emailDomains = ["example.com", "example.net", "example.org"]

    /// A city a user can live in: the row values TheLook stores for it.
    struct Place: Sendable {
        let city: String
        let state: String
        let postalCode: String
        let latitude: Double
        let longitude: Double
    }

    struct Country: Sendable {
        let name: String
        let weight: Double
        let places: [Place]
    }

    /// Countries with the real dataset's shares (percent). "Brasil" is the real spelling.
    static let countries: [Country] = [
        Country(name: "China", weight: 33.9, places: [
            Place(city: "Shanghai", state: "Shanghai", postalCode: "200000", latitude: 31.23, longitude: 121.47),
            Place(city: "Beijing", state: "Beijing", postalCode: "100000", latitude: 39.90, longitude: 116.40),
            Place(city: "Guangzhou", state: "Guangdong", postalCode: "510000", latitude: 23.13, longitude: 113.26),
            Place(city: "Shenzhen", state: "Guangdong", postalCode: "518000", latitude: 22.54, longitude: 114.06),
            Place(city: "Chengdu", state: "Sichuan", postalCode: "610000", latitude: 30.57, longitude: 104.07),
            Place(city: "Wuhan", state: "Hubei", postalCode: "430000", latitude: 30.59, longitude: 114.31),
        ]),
        Country(name: "United States", weight: 22.5, places: [
            Place(city: "New York", state: "New York", postalCode: "10001", latitude: 40.71, longitude: -74.01),
            Place(city: "Los Angeles", state: "California", postalCode: "90001", latitude: 34.05, longitude: -118.24),
            Place(city: "Chicago", state: "Illinois", postalCode: "60601", latitude: 41.88, longitude: -87.63),
            Place(city: "Houston", state: "Texas", postalCode: "77001", latitude: 29.76, longitude: -95.37),
            Place(city: "Phoenix", state: "Arizona", postalCode: "85001", latitude: 33.45, longitude: -112.07),
            Place(city: "Seattle", state: "Washington", postalCode: "98101", latitude: 47.61, longitude: -122.33),
            Place(city: "Miami", state: "Florida", postalCode: "33101", latitude: 25.76, longitude: -80.19),
        ]),
        Country(name: "Brasil", weight: 14.6, places: [
            Place(city: "São Paulo", state: "São Paulo", postalCode: "01000-000", latitude: -23.55, longitude: -46.63),
            Place(city: "Rio de Janeiro", state: "Rio de Janeiro", postalCode: "20000-000", latitude: -22.91, longitude: -43.17),
            Place(city: "Belo Horizonte", state: "Minas Gerais", postalCode: "30100-000", latitude: -19.92, longitude: -43.94),
            Place(city: "Salvador", state: "Bahia", postalCode: "40000-000", latitude: -12.97, longitude: -38.50),
            Place(city: "Curitiba", state: "Paraná", postalCode: "80000-000", latitude: -25.43, longitude: -49.27),
        ]),
        Country(name: "South Korea", weight: 5.3, places: [
            Place(city: "Seoul", state: "Seoul", postalCode: "04524", latitude: 37.57, longitude: 126.98),
            Place(city: "Busan", state: "Busan", postalCode: "48058", latitude: 35.18, longitude: 129.08),
            Place(city: "Incheon", state: "Incheon", postalCode: "21554", latitude: 37.46, longitude: 126.71),
        ]),
        Country(name: "France", weight: 4.7, places: [
            Place(city: "Paris", state: "Île-de-France", postalCode: "75001", latitude: 48.86, longitude: 2.35),
            Place(city: "Lyon", state: "Auvergne-Rhône-Alpes", postalCode: "69001", latitude: 45.76, longitude: 4.84),
            Place(city: "Marseille", state: "Provence-Alpes-Côte d'Azur", postalCode: "13001", latitude: 43.30, longitude: 5.37),
            Place(city: "Toulouse", state: "Occitanie", postalCode: "31000", latitude: 43.60, longitude: 1.44),
        ]),
        Country(name: "United Kingdom", weight: 4.6, places: [
            Place(city: "London", state: "England", postalCode: "EC1A 1BB", latitude: 51.51, longitude: -0.13),
            Place(city: "Manchester", state: "England", postalCode: "M1 1AE", latitude: 53.48, longitude: -2.24),
            Place(city: "Edinburgh", state: "Scotland", postalCode: "EH1 1YZ", latitude: 55.95, longitude: -3.19),
            Place(city: "Cardiff", state: "Wales", postalCode: "CF10 1EP", latitude: 51.48, longitude: -3.18),
        ]),
        Country(name: "Germany", weight: 4.2, places: [
            Place(city: "Berlin", state: "Berlin", postalCode: "10115", latitude: 52.52, longitude: 13.40),
            Place(city: "Munich", state: "Bayern", postalCode: "80331", latitude: 48.14, longitude: 11.58),
            Place(city: "Hamburg", state: "Hamburg", postalCode: "20095", latitude: 53.55, longitude: 9.99),
            Place(city: "Cologne", state: "Nordrhein-Westfalen", postalCode: "50667", latitude: 50.94, longitude: 6.96),
        ]),
        Country(name: "Spain", weight: 4.0, places: [
            Place(city: "Madrid", state: "Comunidad de Madrid", postalCode: "28001", latitude: 40.42, longitude: -3.70),
            Place(city: "Barcelona", state: "Catalunya", postalCode: "08001", latitude: 41.39, longitude: 2.17),
            Place(city: "Valencia", state: "Comunitat Valenciana", postalCode: "46001", latitude: 39.47, longitude: -0.38),
            Place(city: "Sevilla", state: "Andalucía", postalCode: "41001", latitude: 37.39, longitude: -5.98),
        ]),
        Country(name: "Japan", weight: 2.5, places: [
            Place(city: "Tokyo", state: "Tokyo", postalCode: "100-0001", latitude: 35.68, longitude: 139.69),
            Place(city: "Osaka", state: "Osaka", postalCode: "530-0001", latitude: 34.69, longitude: 135.50),
            Place(city: "Yokohama", state: "Kanagawa", postalCode: "220-0011", latitude: 35.44, longitude: 139.64),
        ]),
        Country(name: "Australia", weight: 2.2, places: [
            Place(city: "Sydney", state: "New South Wales", postalCode: "2000", latitude: -33.87, longitude: 151.21),
            Place(city: "Melbourne", state: "Victoria", postalCode: "3000", latitude: -37.81, longitude: 144.96),
            Place(city: "Brisbane", state: "Queensland", postalCode: "4000", latitude: -27.47, longitude: 153.03),
        ]),
        Country(name: "Belgium", weight: 1.25, places: [
            Place(city: "Brussels", state: "Brussels", postalCode: "1000", latitude: 50.85, longitude: 4.35),
            Place(city: "Antwerp", state: "Flanders", postalCode: "2000", latitude: 51.22, longitude: 4.40),
            Place(city: "Ghent", state: "Flanders", postalCode: "9000", latitude: 51.05, longitude: 3.72),
        ]),
        Country(name: "Poland", weight: 0.24, places: [
            Place(city: "Warsaw", state: "Mazowieckie", postalCode: "00-001", latitude: 52.23, longitude: 21.01),
            Place(city: "Kraków", state: "Małopolskie", postalCode: "30-001", latitude: 50.06, longitude: 19.94),
        ]),
        Country(name: "Colombia", weight: 0.01, places: [
            Place(city: "Bogotá", state: "Bogotá", postalCode: "110111", latitude: 4.71, longitude: -74.07),
            Place(city: "Medellín", state: "Antioquia", postalCode: "050001", latitude: 6.24, longitude: -75.58),
        ]),
    ]

    /// Native spellings that appear on a few rows of the real data instead of the English name.
    static let nativeCountrySpellings: [String: String] = ["Spain": "España", "Germany": "Deutschland"]

    static let userTrafficSources = WeightedChoice([
        ("Search", 0.70), ("Organic", 0.15), ("Facebook", 0.06), ("Email", 0.05), ("Display", 0.04),
    ])
    static let eventTrafficSources = WeightedChoice([
        ("Email", 0.45), ("Adwords", 0.30), ("YouTube", 0.10), ("Facebook", 0.10), ("Organic", 0.05),
    ])
    static let browsers = WeightedChoice([
        ("Chrome", 0.5), ("Safari", 0.2), ("Firefox", 0.2), ("IE", 0.05), ("Other", 0.05),
    ])

    /// Order statuses in the order of `OrderStatus`, with the real shares.
    static let orderStatusShares: [(OrderStatus, Double)] = [
        (.shipped, 0.30), (.complete, 0.25), (.processing, 0.20), (.cancelled, 0.15), (.returned, 0.10),
    ]
    /// TheLook's orders per user (0: 20%, 1: 50%, 2: 20%, 3: 5%, 4: 5%), split by the churn-prone
    /// trait: churn-prone users mostly buy once, the others make up the repeats, so that 20% of
    /// one table and 80% of the other add up to TheLook's weights exactly.
    static let ordersPerChurnProneUser = WeightedChoice([(0, 0.2), (1, 0.8)])
    static let ordersPerOtherUser = WeightedChoice([(0, 0.2), (1, 0.425), (2, 0.25), (3, 0.0625), (4, 0.0625)])
    static func ordersPerUser(churnProne: Bool) -> WeightedChoice<Int> {
        churnProne ? ordersPerChurnProneUser : ordersPerOtherUser
    }
    static let itemsPerOrder = WeightedChoice([(1, 0.7), (2, 0.2), (3, 0.05), (4, 0.05)])
    static let unsoldInventoryPerItem = WeightedChoice([(1, 0.5), (2, 0.3), (3, 0.2)])

    /// The anonymous browsing patterns of TheLook's "ghost" sessions; `cancel` appears only here.
    static let ghostSessionShapes = WeightedChoice<[EventType]>([
        ([.product, .cart, .cancel], 0.30), ([.department, .product, .cart], 0.30),
        ([.product], 0.20), ([.department, .product], 0.20),
    ])

    static let distributionCenters: [(id: Int64, name: String, latitude: Double, longitude: Double)] = [
        (1, "Memphis TN", 35.1174, -89.9711),
        (2, "Chicago IL", 41.8369, -87.6847),
        (3, "Houston TX", 29.7604, -95.3698),
        (4, "Los Angeles CA", 34.05, -118.25),
        (5, "New Orleans LA", 29.95, -90.0667),
        (6, "Port Authority of New York/New Jersey NY/NJ", 40.634, -73.7834),
        (7, "Philadelphia PA", 39.95, -75.1667),
        (8, "Mobile AL", 30.6944, -88.0431),
        (9, "Charleston SC", 32.7833, -79.9333),
        (10, "Savannah GA", 32.0167, -81.1167),
    ]

    static let carriers = WeightedChoice([
        ("UPS", 0.35), ("FedEx", 0.30), ("USPS", 0.25), ("DHL", 0.10),
    ])
    static let carrierPromisedDays: [String: Int64] = ["UPS": 3, "FedEx": 2, "USPS": 5, "DHL": 4]
    static let carrierBaseCost: [String: Double] = ["UPS": 6.5, "FedEx": 8.0, "USPS": 4.5, "DHL": 9.0]

    static let ticketChannels = WeightedChoice([("email", 0.4), ("chat", 0.3), ("phone", 0.2), ("web", 0.1)])
    static let ticketPriorities = WeightedChoice([("low", 0.4), ("medium", 0.35), ("high", 0.2), ("urgent", 0.05)])
    static let orderTicketCategories = WeightedChoice([
        ("delivery", 0.45), ("product_quality", 0.3), ("billing", 0.15), ("other", 0.1),
    ])
    static let accountTicketCategories = WeightedChoice([("account", 0.5), ("billing", 0.3), ("other", 0.2)])
    static let satisfactionChurnProne = WeightedChoice<Int64>([(1, 0.45), (2, 0.35), (3, 0.1), (4, 0.05), (5, 0.05)])
    static let satisfactionOthers = WeightedChoice<Int64>([(1, 0.05), (2, 0.1), (3, 0.2), (4, 0.35), (5, 0.3)])

    static let segments = WeightedChoice([
        ("value_seeker", 0.3), ("trend_follower", 0.25), ("loyal", 0.2), ("new_customer", 0.25),
    ])
    static let campaigns = WeightedChoice<String?>([
        ("spring_sale", 0.15), ("summer_clearance", 0.15), ("black_friday", 0.2), ("newsletter", 0.15),
        ("retargeting", 0.1), (nil, 0.25),
    ])
}

/// TheLook's order status values, spelled as the dataset spells them.
public enum OrderStatus: String, Sendable, CaseIterable {
    case shipped = "Shipped", complete = "Complete", processing = "Processing"
    case cancelled = "Cancelled", returned = "Returned"

    var hasShipped: Bool { self == .shipped || self == .complete || self == .returned }
    var hasDelivered: Bool { self == .complete || self == .returned }
}

/// TheLook's event types (lowercase in the data).
public enum EventType: String, Sendable, CaseIterable {
    case home, department, product, cart, purchase, cancel
}
