"""The candidate record: the field list, the year's rules file, the model and schema, invented samples."""
