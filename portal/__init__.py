"""The portal's kernel: pieces every app uses (imported downward only, never from an app)."""
