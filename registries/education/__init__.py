"""Education: school enrolment forecasts per district."""
