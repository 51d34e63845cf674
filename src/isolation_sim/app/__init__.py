"""The live workshop app: strategies that run week by week in a browser, in Dutch or English."""
