#!/usr/bin/env python3
"""Subscribe to marsad alerts from Python (pyzmq: apt-get install python3-zmq).

Usage: python3 examples/subscribe.py [tcp://127.0.0.1:5560] [watch-name]
Prints each alert as it fires.  To resume after being away without missing
or repeating an alert, ask the replay socket (:5561) first: see README.
"""
import json
import sys

import zmq

endpoint = sys.argv[1] if len(sys.argv) > 1 else "tcp://127.0.0.1:5560"
watch = sys.argv[2] if len(sys.argv) > 2 else ""

sock = zmq.Context().socket(zmq.SUB)
sock.connect(endpoint)
# Topics are "alert.<watch>"; subscribe to one watch or to all of them.
sock.setsockopt_string(zmq.SUBSCRIBE, "alert." + watch)

while True:
    topic, body = sock.recv_multipart()
    alert = json.loads(body)
    if watch and alert["watch"] != watch:   # "alert.bout" is also a prefix of "alert.bout-x"
        continue
    art = alert["article"]
    print(f'[{alert["seq"]}] {alert["watch"]} ({alert["severity"]}, {alert["kind"]}): '
          f'{art["title"]}\n    {art["url"]}\n    {alert["snippet"]}', flush=True)
