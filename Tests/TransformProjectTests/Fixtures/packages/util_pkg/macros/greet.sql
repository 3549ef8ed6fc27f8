{# A package's macros call each other through the package's name: while a project's model
   renders, dbt resolves plain names in the project and dbt itself, not in the package. #}
{% macro greet(name) %}'hello ' || {{ util_pkg.helper(name) }}{% endmacro %}
