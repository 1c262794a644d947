"""Text helpers every layer above may use: segmentation, scripts, and checks that read text only."""
