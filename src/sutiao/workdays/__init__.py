"""The working-day calendar (statutory holidays, make-up working days) and time limits.

`periods` answers "which day does this period end on"; `schedule` holds the calendar the
answers come from; `actions.load_year` is how an administrator adds a year's schedule.
"""
