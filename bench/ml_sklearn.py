"""The scikit-learn way of doing what `storehouse ml train` + `storehouse ml score` do, for the
bench: for every model of ml.yml, read its train / validate / score rows from the DuckDB file
with pandas, encode them (bench/ml_parity.py's scikit-learn transformers), fit with the same
penalty, validate, score the score rows and write the scores back into the warehouse.

    ml_sklearn.py WAREHOUSE.duckdb PROJECT_DIR

Prints "<model> <rows scored>" per model.
"""
import sys

import duckdb
import yaml
from sklearn.linear_model import LogisticRegression, PoissonRegressor
from sklearn.metrics import mean_poisson_deviance, roc_auc_score

from ml_parity import design, relation


def main():
    database, project = sys.argv[1], sys.argv[2]
    with open(f"{project}/ml.yml") as handle:
        models = yaml.safe_load(handle)["models"]
    con = duckdb.connect(database)
    con.execute("create schema if not exists sklearn")
    for model in models:
        table = relation(con, model["training"])
        window = model.get("window_column", "ml_window")
        keys = model["key"]
        order = ", ".join(keys)
        train = con.execute(f"select * from {table} where {window} = 'train' order by {order}").df()
        validate = con.execute(f"select * from {table} where {window} = 'validate' order by {order}").df()
        if model.get("scoring"):
            score = con.execute(f"select * from {relation(con, model['scoring'])} order by {order}").df()
        else:
            score = con.execute(f"select * from {table} where {window} = 'score' order by {order}").df()
        spec, target, l2 = model["features"], model["target"], float(model.get("l2", 1.0))
        x_train, _ = design(spec, train, train)
        y_train = train[target].astype(float).to_numpy()
        if model.get("kind", "classifier") == "classifier":
            fitted = LogisticRegression(C=1 / l2, solver="newton-cholesky", max_iter=1000).fit(x_train, y_train)
            roc_auc_score(validate[target].astype(float), fitted.predict_proba(design(spec, train, validate)[0])[:, 1])
            scores = fitted.predict_proba(design(spec, train, score)[0])[:, 1]
        else:
            fitted = PoissonRegressor(alpha=l2 / len(y_train), solver="newton-cholesky", max_iter=1000).fit(x_train, y_train)
            mean_poisson_deviance(validate[target].astype(float), fitted.predict(design(spec, train, validate)[0]))
            scores = fitted.predict(design(spec, train, score)[0])
        out = score[keys].copy()
        out[model.get("score_column", "score")] = scores
        con.register("scored", out)
        con.execute(f"create or replace table sklearn.{model['name']}_scores as select * from scored")
        con.unregister("scored")
        print(model["name"], len(out))


if __name__ == "__main__":
    main()
