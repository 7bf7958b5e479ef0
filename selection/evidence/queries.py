"""What the evidence pages show, as queries with a fixed number of queries."""

from django.db.models import Count, Sum

from laeringsmiljo.models import School
from selection.evidence.imports import SPECS
from selection.evidence.models import (
    ComplaintCaseCount,
    ImportKind,
    NationalMean,
    SupervisionFinding,
    SurveyFigure,
    format_school_year,
)

SURVEY_YEARS_SHOWN = 4


def municipalities_with_evidence(municipalities):
    """The municipalities with their complaint cases and open findings counted, by county: the
    columns the overview shows, each count from one grouped query (not a subquery per
    municipality)."""
    keys = municipalities.values("pk")
    cases = dict(
        ComplaintCaseCount.objects.filter(school__municipality__in=keys)
        .order_by()
        .values_list("school__municipality")
        .annotate(total=Sum("cases"))
    )
    open_findings = dict(
        SupervisionFinding.objects.filter(municipality__in=keys, closed=False)
        .order_by()
        .values_list("municipality")
        .annotate(count=Count("pk"))
    )
    return [
        {
            **row,
            "case_total": cases.get(row["pk"], 0),
            "open_findings": open_findings.get(row["pk"], 0),
        }
        for row in municipalities.order_by("county__number", "name").values(
            "pk", "number", "name", "county__name"
        )
    ]


def municipality_evidence(municipality):
    """One municipality's survey figures per school and school year (the last four years it
    has figures for), the national means of those years, its complaint cases and findings."""
    latest = (
        SurveyFigure.objects.filter(school__municipality=municipality)
        .order_by("-school_year")
        .values_list("school_year", flat=True)
        .first()
    )
    years = []
    if latest is not None:
        years = list(range(latest - SURVEY_YEARS_SHOWN + 1, latest + 1))
    figures = {}
    for figure in SurveyFigure.objects.filter(
        school__municipality=municipality, school_year__in=years
    ).order_by("grade"):
        figures.setdefault((figure.school_id, figure.school_year), []).append(figure)
    schools = list(municipality.schools.order_by("name"))
    survey_rows = [
        {"school": school, "cells": [figures.get((school.pk, year), []) for year in years]}
        for school in schools
    ]
    means = {m.school_year: m for m in NationalMean.objects.filter(school_year__in=years)}
    return {
        "years": [format_school_year(year) for year in years],
        "survey_rows": survey_rows,
        "national_means": [means.get(year) for year in years],
        "cases": ComplaintCaseCount.objects.filter(school__municipality=municipality)
        .select_related("school")
        .order_by("-school_year", "school__name"),
        "findings": SupervisionFinding.objects.filter(municipality=municipality)
        .select_related("school")
        .order_by("closed", "-date"),
    }


def import_template_rows(*, kind, municipalities):
    """The columns the importer reads for this kind, and for figures per school a row for every
    school of the municipalities, with what the registry knows filled in."""
    columns = SPECS[kind].columns
    rows = []
    if kind != ImportKind.FINDINGS:
        schools = (
            School.objects.filter(municipality__in=municipalities)
            .select_related("municipality")
            .order_by("municipality__number", "name")
        )
        for school in schools:
            known = {
                "orgnr": school.organisation_number,
                "name": school.name,
                "municipality": school.municipality.number,
            }
            rows.append([known.get(column.key, "") for column in columns])
    return columns, rows
