#!/usr/bin/env python3
"""The Python/Faker anchor for Storehouse's generator benchmark.

Generates the seven TheLook tables the way the public thelook_ecommerce job does: plain Python
loops, Faker for people and addresses, the same value domains and weights (datasets.md §1),
written as CSV with the csv module. Comparable work to `StoreGenerator.writeFiles(format: .csv)`;
no overlays.

usage: generate_faker.py --users N --out DIR [--seed S]
"""
import argparse
import csv
import datetime as dt
import os
import random
import time
import uuid

from faker import Faker

COUNTRIES = [("China", 33.9), ("United States", 22.5), ("Brasil", 14.6), ("South Korea", 5.3),
             ("France", 4.7), ("United Kingdom", 4.6), ("Germany", 4.2), ("Spain", 4.0), ("Japan", 2.5),
             ("Australia", 2.2), ("Belgium", 1.25), ("Poland", 0.24), ("Colombia", 0.01)]
CATEGORIES = {
    "Men": ["Accessories", "Active", "Fashion Hoodies & Sweatshirts", "Jeans", "Outerwear & Coats", "Pants",
            "Shorts", "Sleep & Lounge", "Socks", "Suits & Sport Coats", "Sweaters", "Swim", "Tops & Tees", "Underwear"],
    "Women": ["Accessories", "Active", "Blazers & Jackets", "Clothing Sets", "Dresses", "Fashion Hoodies & Sweatshirts",
              "Intimates", "Jeans", "Jumpsuits & Rompers", "Leggings", "Maternity", "Outerwear & Coats", "Pants & Capris",
              "Plus", "Shorts", "Skirts", "Sleep & Lounge", "Socks & Hosiery", "Suits", "Sweaters", "Swim", "Tops & Tees"],
}
BRANDS = ["Calvin Klein", "Levi's", "Tommy Hilfiger", "Ralph Lauren", "Nike", "Adidas", "Columbia", "Hanes",
          "Carhartt", "Allegra K", "Anne Klein", "Speedo", "Roxy", "Diesel", "Champion", "Puma"]
DCS = [(1, "Memphis TN", 35.1174, -89.9711), (2, "Chicago IL", 41.8369, -87.6847), (3, "Houston TX", 29.7604, -95.3698),
       (4, "Los Angeles CA", 34.05, -118.25), (5, "New Orleans LA", 29.95, -90.0667),
       (6, "Port Authority of New York/New Jersey NY/NJ", 40.634, -73.7834), (7, "Philadelphia PA", 39.95, -75.1667),
       (8, "Mobile AL", 30.6944, -88.0431), (9, "Charleston SC", 32.7833, -79.9333), (10, "Savannah GA", 32.0167, -81.1167)]
STATUSES = (["Shipped", "Complete", "Processing", "Cancelled", "Returned"], [0.30, 0.25, 0.20, 0.15, 0.10])
USER_SOURCES = (["Search", "Organic", "Facebook", "Email", "Display"], [0.70, 0.15, 0.06, 0.05, 0.04])
EVENT_SOURCES = (["Email", "Adwords", "YouTube", "Facebook", "Organic"], [0.45, 0.30, 0.10, 0.10, 0.05])
BROWSERS = (["Chrome", "Safari", "Firefox", "IE", "Other"], [0.5, 0.2, 0.2, 0.05, 0.05])
GHOST_SHAPES = [["product", "cart", "cancel"], ["department", "product", "cart"], ["product"], ["department", "product"]]
PRODUCT_COUNT = 29120


def fmt(ts):
    return ts.strftime("%Y-%m-%d %H:%M:%S") if ts else ""


def slug(text):
    return text.lower().replace(" ", "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    random.seed(args.seed)
    Faker.seed(args.seed)
    fake = Faker()
    started = time.time()
    now = dt.datetime.now().replace(microsecond=0)
    start = dt.datetime(2019, 1, 1)
    span = (now - start).total_seconds()

    def out(name, header):
        f = open(os.path.join(args.out, name + ".csv"), "w", newline="")
        w = csv.writer(f)
        w.writerow(header)
        return f, w

    files = []
    fdc, wdc = out("distribution_centers", ["id", "name", "latitude", "longitude"])
    files.append(fdc)
    wdc.writerows(DCS)

    fp, wp = out("products", ["id", "cost", "category", "name", "brand", "retail_price", "department", "sku",
                              "distribution_center_id"])
    files.append(fp)
    products = []
    by_department = {"Men": [], "Women": []}
    for pid in range(1, PRODUCT_COUNT + 1):
        department = "Men" if pid <= 13131 else "Women"
        category = random.choice(CATEGORIES[department])
        brand = random.choice(BRANDS)
        retail = round(random.uniform(5, 300), 2)
        cost = round(retail * random.uniform(0.38, 0.62), 2)
        row = [pid, cost, category, f"{brand} {department}'s {fake.word().title()} {category}", brand, retail,
               department, fake.md5().upper(), random.randint(1, 10)]
        products.append(row)
        by_department[department].append(row)
        wp.writerow(row)

    fu, wu = out("users", ["id", "first_name", "last_name", "email", "age", "gender", "state", "street_address",
                           "postal_code", "city", "country", "latitude", "longitude", "traffic_source", "created_at"])
    fo, wo = out("orders", ["order_id", "user_id", "status", "gender", "created_at", "returned_at", "shipped_at",
                            "delivered_at", "num_of_item"])
    fi, wi = out("order_items", ["id", "order_id", "user_id", "product_id", "inventory_item_id", "status", "created_at",
                                 "shipped_at", "delivered_at", "returned_at", "sale_price"])
    fv, wv = out("inventory_items", ["id", "product_id", "created_at", "sold_at", "cost", "product_category",
                                     "product_name", "product_brand", "product_retail_price", "product_department",
                                     "product_sku", "product_distribution_center_id"])
    fe, we = out("events", ["id", "user_id", "sequence_number", "session_id", "created_at", "ip_address", "city",
                            "state", "postal_code", "browser", "traffic_source", "uri", "event_type"])
    files += [fu, fo, fi, fv, fe]
    country_names = [c for c, _ in COUNTRIES]
    country_weights = [w for _, w in COUNTRIES]
    order_id = item_id = inventory_id = event_id = 0

    def inventory_row(product, created, sold):
        nonlocal inventory_id
        inventory_id += 1
        wv.writerow([inventory_id, product[0], fmt(created), fmt(sold), product[1], product[2], product[3], product[4],
                     product[5], product[6], product[7], product[8]])
        return inventory_id

    def session(user_id, city, state, postal, product, shape, t):
        nonlocal event_id
        sid = str(uuid.uuid4())
        ip = fake.ipv4()
        browser = random.choices(*BROWSERS)[0]
        source = random.choices(*EVENT_SOURCES)[0]
        for seq, kind in enumerate(shape, 1):
            event_id += 1
            if kind == "department":
                uri = f"/department/{slug(product[6])}/category/{slug(product[2])}/brand/{slug(product[4])}"
            elif kind == "product":
                uri = f"/product/{product[0]}"
            else:
                uri = f"/{kind}"
            we.writerow([event_id, user_id, seq, sid, fmt(t), ip, city, state, postal, browser, source, uri, kind])
            t += dt.timedelta(minutes=random.uniform(0, 3))

    for user_id in range(1, args.users + 1):
        gender = random.choice(["M", "F"])
        first = fake.first_name_male() if gender == "M" else fake.first_name_female()
        last = fake.last_name()
        if random.random() < 0.025:
            created = now - dt.timedelta(seconds=random.uniform(0, 7 * 86400))
        else:
            created = start + dt.timedelta(seconds=random.uniform(0, span))
        country = random.choices(country_names, country_weights)[0]
        city = "null" if random.random() < 0.01 else fake.city()
        state, postal = fake.state(), fake.postcode()
        wu.writerow([user_id, first, last, f"{first.lower()}{last.lower()}@example.{random.choice(['com', 'net', 'org'])}",
                     random.randint(12, 70), gender, state, fake.street_address(), postal, city, country,
                     float(fake.latitude()), float(fake.longitude()), random.choices(*USER_SOURCES)[0], fmt(created)])
        department = by_department["Men" if gender == "M" else "Women"]
        for _ in range(random.choices([0, 1, 2, 3, 4], [0.2, 0.5, 0.2, 0.05, 0.05])[0]):
            order_id += 1
            ordered = created + dt.timedelta(seconds=random.uniform(0, max(1.0, (now - created).total_seconds())))
            status = random.choices(*STATUSES)[0]
            shipped = ordered + dt.timedelta(seconds=random.uniform(0, 3 * 86400)) if status in ("Shipped", "Complete", "Returned") else None
            delivered = shipped + dt.timedelta(seconds=random.uniform(0, 5 * 86400)) if status in ("Complete", "Returned") else None
            returned = delivered + dt.timedelta(seconds=random.uniform(0, 3 * 86400)) if status == "Returned" else None
            n = random.choices([1, 2, 3, 4], [0.7, 0.2, 0.05, 0.05])[0]
            wo.writerow([order_id, user_id, status, gender, fmt(ordered), fmt(returned), fmt(shipped), fmt(delivered), n])
            for _ in range(n):
                product = random.choice(department)
                item_created = ordered - dt.timedelta(seconds=random.uniform(0, 4 * 3600))
                sold_id = inventory_row(product, item_created - dt.timedelta(seconds=random.uniform(0, 60 * 86400)), item_created)
                for _ in range(random.choices([1, 2, 3], [0.5, 0.3, 0.2])[0]):
                    inventory_row(product, item_created - dt.timedelta(seconds=random.uniform(0, 60 * 86400)), None)
                item_id += 1
                wi.writerow([item_id, order_id, user_id, product[0], sold_id, status, fmt(item_created), fmt(shipped),
                             fmt(delivered), fmt(returned), product[5]])
                session(user_id, city, state, postal, product, ["home", "department", "product", "cart", "purchase"], item_created)
        # Anonymous "ghost" sessions, 4-9 per user, like Storehouse's generator.
        for _ in range(random.randint(4, 9)):
            session("", fake.city(), fake.state(), fake.postcode(), random.choice(products),
                    random.choices(GHOST_SHAPES, [0.3, 0.3, 0.2, 0.2])[0],
                    start + dt.timedelta(seconds=random.uniform(0, span)))

    for f in files:
        f.close()
    rows = PRODUCT_COUNT + len(DCS) + args.users + order_id + item_id + inventory_id + event_id
    elapsed = time.time() - started
    print(f"faker: {rows} rows in {elapsed:.2f} s ({rows / elapsed:.0f} rows/s)")


if __name__ == "__main__":
    main()
