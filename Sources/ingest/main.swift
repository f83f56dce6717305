import Pipeline
print("ingest")
