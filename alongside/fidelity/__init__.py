"""A site's fidelity to the ten principles of Local Area Coordination: the measures its records
already hold, and the manager's own judgement each quarter, signed off and kept version by version."""
