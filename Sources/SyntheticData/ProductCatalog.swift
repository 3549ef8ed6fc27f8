/// The product catalog: a fixed number of products (29,120, as in TheLook), generated from the
/// seed once per run and shared read-only by every worker.
public struct ProductCatalog: Sendable {
    public static let productCount = 29_120
    /// How many of the products belong to the Women department (the rest are Men's).
    public static let womenProductCount = 15_989

    /// A product row. A class, so handing a product around costs one reference count, not seven.
    public final class Product: Sendable {
        public let id: Int64
        public let cost: Double
        public let category: String
        public let name: String?
        public let brand: String?
        public let retailPrice: Double
        public let department: String
        public let sku: String
        public let distributionCenterId: Int64
        /// `/department/men/category/jeans/brand/levis`, precomputed for events.
        let departmentURI: String
        /// `/product/123`.
        let productURI: String
        let categoryIndex: Int

        init(id: Int64, cost: Double, category: String, name: String?, brand: String?, retailPrice: Double,
             department: String, sku: String, distributionCenterId: Int64, departmentURI: String,
             productURI: String, categoryIndex: Int)
        {
            self.id = id
            self.cost = cost
            self.category = category
            self.name = name
            self.brand = brand
            self.retailPrice = retailPrice
            self.department = department
            self.sku = sku
            self.distributionCenterId = distributionCenterId
            self.departmentURI = departmentURI
            self.productURI = productURI
            self.categoryIndex = categoryIndex
        }
    }

    public struct Category: Sendable {
        public let name: String
        let noun: String
        let priceRange: ClosedRange<Double>
        let men: Double
        let women: Double
    }

    /// The 26 categories; a zero weight means the department does not carry it.
    public static let categories: [Category] = [
        Category(name: "Accessories", noun: "Belt", priceRange: 5...120, men: 1.0, women: 1.0),
        Category(name: "Active", noun: "Training Top", priceRange: 15...120, men: 1.0, women: 1.0),
        Category(name: "Blazers & Jackets", noun: "Blazer", priceRange: 40...300, men: 0, women: 0.8),
        Category(name: "Clothing Sets", noun: "Set", priceRange: 20...150, men: 0, women: 0.2),
        Category(name: "Dresses", noun: "Dress", priceRange: 20...250, men: 0, women: 1.3),
        Category(name: "Fashion Hoodies & Sweatshirts", noun: "Hoodie", priceRange: 20...120, men: 1.1, women: 0.9),
        Category(name: "Intimates", noun: "Bra", priceRange: 8...80, men: 0, women: 1.6),
        Category(name: "Jeans", noun: "Jeans", priceRange: 25...200, men: 1.2, women: 1.1),
        Category(name: "Jumpsuits & Rompers", noun: "Romper", priceRange: 25...180, men: 0, women: 0.3),
        Category(name: "Leggings", noun: "Leggings", priceRange: 10...90, men: 0, women: 0.6),
        Category(name: "Maternity", noun: "Maternity Top", priceRange: 15...120, men: 0, women: 0.7),
        Category(name: "Outerwear & Coats", noun: "Coat", priceRange: 40...500, men: 1.0, women: 0.9),
        Category(name: "Pants", noun: "Chinos", priceRange: 20...150, men: 1.0, women: 0),
        Category(name: "Pants & Capris", noun: "Capris", priceRange: 20...140, men: 0, women: 0.7),
        Category(name: "Plus", noun: "Plus Top", priceRange: 15...150, men: 0, women: 0.8),
        Category(name: "Shorts", noun: "Shorts", priceRange: 12...80, men: 1.0, women: 0.9),
        Category(name: "Skirts", noun: "Skirt", priceRange: 15...150, men: 0, women: 0.4),
        Category(name: "Sleep & Lounge", noun: "Pajama Set", priceRange: 10...100, men: 0.8, women: 1.0),
        Category(name: "Socks", noun: "Socks", priceRange: 5...30, men: 0.9, women: 0),
        Category(name: "Socks & Hosiery", noun: "Tights", priceRange: 5...35, men: 0, women: 0.5),
        Category(name: "Suits", noun: "Suit", priceRange: 50...400, men: 0, women: 0.3),
        Category(name: "Suits & Sport Coats", noun: "Sport Coat", priceRange: 80...600, men: 0.8, women: 0),
        Category(name: "Sweaters", noun: "Sweater", priceRange: 25...250, men: 1.2, women: 1.3),
        Category(name: "Swim", noun: "Swimsuit", priceRange: 15...150, men: 0.9, women: 1.2),
        Category(name: "Tops & Tees", noun: "T-Shirt", priceRange: 8...90, men: 1.4, women: 1.5),
        Category(name: "Underwear", noun: "Boxer Briefs", priceRange: 8...60, men: 1.0, women: 0),
    ]

    static let menBrands = [
        "Calvin Klein", "Levi's", "Tommy Hilfiger", "Ralph Lauren", "Nike", "Adidas", "Columbia", "Carhartt",
        "Hanes", "Under Armour", "Dockers", "Wrangler", "Quiksilver", "Haggar", "Van Heusen", "Perry Ellis",
        "Champion", "The North Face", "Puma", "Diesel", "Lucky Brand", "True Religion", "Izod", "Kenneth Cole",
    ]
    static let womenBrands = [
        "Calvin Klein", "Levi's", "Tommy Hilfiger", "Ralph Lauren", "Nike", "Adidas", "Columbia", "Hanes",
        "Allegra K", "Vince Camuto", "Anne Klein", "Jones New York", "Maidenform", "Wacoal", "Motherhood Maternity",
        "Roxy", "Speedo", "Free People", "BCBGMAXAZRIA", "Michael Kors", "Jessica Simpson", "Lucky Brand",
        "Kenneth Cole", "Betsey Johnson",
    ]
    static let descriptors = [
        "Classic", "Slim Fit", "Relaxed", "Essential", "Premium", "Vintage", "Lightweight", "Stretch",
        "Organic Cotton", "Performance", "Everyday", "Signature", "Modern", "Tailored", "Cozy", "Striped",
    ]

    public let products: [Product]
    /// Product indices (into `products`) per department: 0 = Men, 1 = Women.
    let productsByDepartment: [[Int]]
    /// Product indices per department and category index; empty where the department lacks it.
    let productsByDepartmentCategory: [[[Int]]]
    /// Mean retail price per department (0 = Men, 1 = Women), for planted-truth arithmetic.
    public let meanRetailPrice: [Double]

    public init(seed: UInt64) {
        var rng = SeededRandom(seed: seed, stream: .catalog, 0)
        let categories = ProductCatalog.categories
        var products: [Product] = []
        products.reserveCapacity(ProductCatalog.productCount)
        var byDepartment: [[Int]] = [[], []]
        var byDepartmentCategory: [[[Int]]] = Array(repeating: Array(repeating: [], count: categories.count), count: 2)

        // Null brands and names: TheLook has ~24 and 2 of them; choose their ids up front.
        var nullBrandIds = Set<Int>()
        while nullBrandIds.count < 24 { nullBrandIds.insert(rng.int(below: ProductCatalog.productCount) + 1) }
        var nullNameIds = Set<Int>()
        while nullNameIds.count < 2 { nullNameIds.insert(rng.int(below: ProductCatalog.productCount) + 1) }

        let departmentCounts = [ProductCatalog.productCount - ProductCatalog.womenProductCount, ProductCatalog.womenProductCount]
        var nextId = 1
        for department in 0..<2 {
            let departmentName = department == 0 ? "Men" : "Women"
            let slug = department == 0 ? "men" : "women"
            let possessive = department == 0 ? "Men's" : "Women's"
            let brands = department == 0 ? ProductCatalog.menBrands : ProductCatalog.womenBrands
            let weights = categories.map { department == 0 ? $0.men : $0.women }
            let counts = ProductCatalog.apportion(total: departmentCounts[department], weights: weights)
            for (categoryIndex, category) in categories.enumerated() where counts[categoryIndex] > 0 {
                let categorySlug = ProductCatalog.slug(category.name)
                for _ in 0..<counts[categoryIndex] {
                    let id = nextId
                    nextId += 1
                    let brandName = brands[rng.int(below: brands.count)]
                    let descriptor = ProductCatalog.descriptors[rng.int(below: ProductCatalog.descriptors.count)]
                    // Log-uniform prices: many cheap items, a long tail of expensive ones.
                    let low = _log(category.priceRange.lowerBound), high = _log(category.priceRange.upperBound)
                    let retail = (_exp(rng.double(in: low, high)) * 100).rounded() / 100
                    let cost = (retail * rng.double(in: 0.38, 0.62) * 100).rounded() / 100
                    let brand: String? = nullBrandIds.contains(id) ? nil : brandName
                    let name: String? = nullNameIds.contains(id) ? nil : "\(brandName) \(possessive) \(descriptor) \(category.noun)"
                    let product = Product(
                        id: Int64(id), cost: cost, category: category.name, name: name, brand: brand,
                        retailPrice: retail, department: departmentName, sku: ProductCatalog.hexSKU(&rng),
                        distributionCenterId: Int64(rng.int(in: 1...10)),
                        departmentURI: "/department/\(slug)/category/\(categorySlug)/brand/\(ProductCatalog.slug(brand ?? ""))",
                        productURI: "/product/\(id)", categoryIndex: categoryIndex)
                    byDepartment[department].append(products.count)
                    byDepartmentCategory[department][categoryIndex].append(products.count)
                    products.append(product)
                }
            }
        }
        self.products = products
        productsByDepartment = byDepartment
        productsByDepartmentCategory = byDepartmentCategory
        meanRetailPrice = byDepartment.map { indices in
            indices.reduce(0.0) { $0 + products[$1].retailPrice } / Double(indices.count)
        }
    }

    /// Lowercased with spaces removed, as TheLook's URIs spell categories and brands.
    static func slug(_ text: String) -> String {
        String(text.lowercased().filter { $0 != " " })
    }

    /// Splits `total` by `weights` with largest remainders, so the parts add up exactly.
    static func apportion(total: Int, weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        let exact = weights.map { Double(total) * $0 / sum }
        var counts = exact.map { Int($0) }
        let order = exact.indices.sorted { (exact[$0] - Double(counts[$0])) > (exact[$1] - Double(counts[$1])) }
        var remaining = total - counts.reduce(0, +)
        for index in order where remaining > 0 {
            counts[index] += 1
            remaining -= 1
        }
        return counts
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// 32 upper-case hex digits, the shape of TheLook's MD5-like SKUs.
    static func hexSKU(_ rng: inout SeededRandom) -> String {
        let a = rng.next(), b = rng.next()
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for i in 0..<16 {
                buffer[i] = hexDigits[Int((a >> (UInt64(i) * 4)) & 0xF)]
                buffer[16 + i] = hexDigits[Int((b >> (UInt64(i) * 4)) & 0xF)]
            }
            return 32
        }
    }
}
