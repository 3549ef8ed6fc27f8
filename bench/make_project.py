#!/usr/bin/env python3
"""Write a generated dbt project of N models into a folder, loadable by dbt-core and by Storehouse.

The shape is meant to stress a parser the way real projects do: layered models with fan-in and
fan-out refs, Jinja loops and macro calls in every model, YAML with column tests, and seeds.

    python3 bench/make_project.py /tmp/bench-project --models 1000
"""
import argparse
import os
import random
import shutil

LAYERS = ["staging", "intermediate", "marts"]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="where to write the project (replaced if it exists)")
    parser.add_argument("--models", type=int, default=1000, help="number of models (default 1000)")
    parser.add_argument("--seeds", type=int, default=10, help="number of seeds (default 10)")
    parser.add_argument("--seed", type=int, default=42, help="random seed, so the project is repeatable")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = args.folder
    if os.path.exists(root):
        shutil.rmtree(root)

    write(f"{root}/dbt_project.yml", """name: 'bench'
version: '1.0.0'
config-version: 2
profile: 'bench'
model-paths: ["models"]
seed-paths: ["seeds"]
macro-paths: ["macros"]
vars:
  start_date: '2020-01-01'
models:
  bench:
    +materialized: view
    marts:
      +materialized: table
      +tags: ['marts']
""")
    write(f"{root}/profiles.yml", """bench:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: bench.duckdb
      threads: 2
""")
    write(f"{root}/macros/helpers.sql", """{% macro cents_to_dollars(column_name, scale=2) -%}
    round({{ column_name }} / 100.0, {{ scale }})
{%- endmacro %}

{% macro metric_columns(prefix, n) -%}
    {%- for i in range(n) %}
    sum(amount * {{ i + 1 }}) as {{ prefix }}_{{ i }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
""")
    for s in range(args.seeds):
        rows = "\n".join(f"{i},{rng.randint(1, 1000)},{rng.choice(['a', 'b', 'c'])}" for i in range(1, 21))
        write(f"{root}/seeds/seed_{s}.csv", "id,amount,kind\n" + rows + "\n")

    per_layer = [args.models * 3 // 10, args.models * 4 // 10]
    per_layer.append(args.models - sum(per_layer))
    names = []
    index = 0
    for layer, count in zip(LAYERS, per_layer):
        layer_names = []
        yaml_models = []
        for _ in range(count):
            name = f"{layer[:3]}_{index:05d}"
            index += 1
            if layer == "staging":
                parents = [f"seed_{rng.randrange(args.seeds)}"]
            else:
                pool = names[-400:] if names else []
                parents = rng.sample(pool, min(len(pool), rng.randint(1, 4)))
            body = ["{% set kinds = ['a', 'b', 'c'] %}", "with"]
            ctes = []
            for i, p in enumerate(parents):
                ctes.append(f"p{i} as (\n    select * from {{{{ ref('{p}') }}}}\n)")
            body.append(",\n".join(ctes))
            columns = [
                "    id",
                "    amount",
                "    kind",
                "    {{ cents_to_dollars('amount') }} as amount_dollars",
                "    {% for k in kinds %}sum(case when kind = '{{ k }}' then 1 else 0 end) as n_{{ k }}{% if not loop.last %},{% endif %}\n    {% endfor %}",
            ]
            if rng.random() < 0.3:
                columns.append("    {{ metric_columns('m', 3) }}")
            select = "select\n" + ",\n".join(columns) + "\nfrom p0\n"
            if len(parents) > 1:
                select += "\n".join(f"-- joined with p{i}" for i in range(1, len(parents))) + "\n"
            select += "where '{{ var(\"start_date\") }}' is not null\ngroup by id, amount, kind"
            write(f"{root}/models/{layer}/{name}.sql", "\n".join(body) + "\n" + select + "\n")
            yaml_models.append(f"""  - name: {name}
    description: Generated model {name}.
    columns:
      - name: id
        data_tests:
          - not_null
      - name: amount_dollars
        data_tests:
          - not_null
""")
            layer_names.append(name)
        names.extend(layer_names)
        write(f"{root}/models/{layer}/schema.yml", "version: 2\n\nmodels:\n" + "".join(yaml_models))
    # Seeds are referenced like models; the staging layer names them directly.
    print(f"wrote {args.models} models, {args.seeds} seeds to {root}")


if __name__ == "__main__":
    main()
