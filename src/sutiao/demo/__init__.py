"""The demo data set (`sutiao demo`): institutions, mediators, one log-in per role and cases
at every stage. It sits above every domain and calls their actions; no domain imports it."""
