"""人才信息采集 core: data model, storage, rules, .rpu, printing, disc, workflow. No Qt here."""

__version__ = "0.1.0"
