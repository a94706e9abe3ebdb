"""CastMatch assembled: the engine (`bot`) with its features (`talent`, `memory`) and channels
(`adapters`). The only package that imports all four; each of them imports none of it."""
