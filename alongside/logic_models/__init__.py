"""Each site's logic model (theory of change), versioned, in the same codes as the recording."""
