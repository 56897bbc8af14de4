#!/usr/bin/env python3
"""Writes the cold-chain sample data set a new user can ingest right after setup.

Three organizations of the dev consortium, each with its own export and a mapping file in
samples/cold-chain/:

- Acme (TMS, CSV): delivered shipments and their lead times (metric 0);
- Borealis (WMS, GS1 EPCIS 2.0 JSON): receiving and shipping events; receiving events say
  whether the delivery was on time (metric 1);
- Coldline (sensor gateway, JSON Lines): temperature readings of the reefers' sensors
  (metric 2).

All times are in the past (the last 30 days), so every row is valid on a fresh dev chain.
--errors adds a few bad rows to each file, to see how they are reported.

    scripts/sample-data.py [--out samples/cold-chain/data] [--shipments 1500]
                           [--readings 20000] [--seed 7] [--errors]
"""
import argparse
import datetime as dt
import json
import os
import random

HOUR = dt.timedelta(hours=1)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def sscc(rng, n):
    return f"0614141{n:010d}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--out", default=os.path.join(root, "samples", "cold-chain", "data"))
    parser.add_argument("--shipments", type=int, default=1500)
    parser.add_argument("--readings", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--errors", action="store_true", help="add a few bad rows to each file")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    start = now - dt.timedelta(days=30)
    run = now.strftime("%Y%m%d%H%M%S")

    shipments = []
    for i in range(args.shipments):
        dispatched = start + dt.timedelta(minutes=rng.randrange(0, 28 * 24 * 60))
        lead = round(rng.lognormvariate(3.3, 0.35), 2)
        delivered = dispatched + dt.timedelta(hours=lead)
        if delivered > now - HOUR:
            delivered = now - HOUR
            lead = round((delivered - dispatched).total_seconds() / 3600, 2)
        shipments.append((sscc(rng, int(run[-6:]) * 100000 + i), dispatched, delivered, lead))

    # Acme's TMS export.
    with open(os.path.join(args.out, "acme-shipments.csv"), "w", newline="") as f:
        f.write("shipment_id,origin,destination,dispatched_at,delivered_at,lead_time_h,delivery_note\n")
        for i, (sid, dispatched, delivered, lead) in enumerate(shipments):
            origin, destination = rng.sample(["DEHAM", "NLRTM", "BEANR", "FRLEH", "PLGDN", "SEGOT"], 2)
            f.write(f"{sid},{origin},{destination},{iso(dispatched)},{iso(delivered)},{lead:.2f},DN-{run}-{i:06d}\n")
        if args.errors:
            f.write(f"{shipments[0][0]}9,DEHAM,NLRTM,{iso(start)},{iso(start)},12.345,DN-{run}-bad-1\n")
            f.write(f"{shipments[1][0]}8,DEHAM,NLRTM,{iso(start)},not a time,10.00,DN-{run}-bad-2\n")
            f.write(f"{shipments[2][0]}7,DEHAM,NLRTM,{iso(start)}\n")

    # Borealis's EPCIS document: a shipping and a receiving event per shipment it received.
    events = []
    for i, (sid, dispatched, delivered, lead) in enumerate(shipments[: max(1, len(shipments) // 10)]):
        epc = f"urn:epc:id:sscc:{sid[:7]}.{sid[7:]}"
        base = {"type": "ObjectEvent", "eventTimeZoneOffset": "+00:00", "epcList": [epc], "action": "OBSERVE"}
        events.append(dict(base, eventID=f"ni:///sha-256;{run}s{i:06d}?ver=CBV2.0", eventTime=iso(dispatched),
                           bizStep="shipping", disposition="in_transit",
                           readPoint={"id": "urn:epc:id:sgln:0614141.00001.0"}))
        events.append(dict(base, eventID=f"ni:///sha-256;{run}r{i:06d}?ver=CBV2.0", eventTime=iso(delivered),
                           bizStep="receiving", disposition="in_progress",
                           readPoint={"id": "urn:epc:id:sgln:4012345.00042.0"},
                           **{"perf:onTime": 1 if lead <= 36 else 0}))
    if args.errors:
        events.append(dict(events[1], eventID=f"ni:///sha-256;{run}bad?ver=CBV2.0", **{"perf:onTime": "yes"}))
    document = {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                     {"perf": "https://perfledger.example/epcis/"}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": iso(now),
        "epcisBody": {"eventList": events},
    }
    with open(os.path.join(args.out, "borealis-receiving.epcis.json"), "w") as f:
        json.dump(document, f, indent=2)
        f.write("\n")

    # Coldline's sensor readings: every reefer's sensor reports through the trip.
    with open(os.path.join(args.out, "coldline-temperature.jsonl"), "w") as f:
        for n in range(args.readings):
            sid, dispatched, delivered, _ = shipments[n % len(shipments)]
            t = dispatched + (delivered - dispatched) * rng.random()
            celsius = round(rng.gauss(4.0, 1.2), 1)
            f.write(json.dumps({"sensor": f"coldline-sensor-{n % 40:02d}", "shipment": f"sscc:{sid}",
                                "recorded_at": iso(t), "celsius": celsius}) + "\n")
        if args.errors:
            f.write('{"sensor": "coldline-sensor-01", "shipment": "sscc:1", "recorded_at": "2026-01-01T00:00:00Z", "celsius": 88.0}\n')
            f.write('{"sensor": "coldline-sensor-01", "shipment": "sscc:1", "recorded_at": \n')
    print(f"wrote {args.out}: {len(shipments)} shipments, {len(events)} EPCIS events, {args.readings} readings")


if __name__ == "__main__":
    main()
