"""What NOTIFY costs the senders: send-batch through node one into a queue, first with nobody
waiting on it, then with consumers long-polling it through node two (every commit of a send is
then followed by a coalesced NOTIFY, and the consumers are woken across nodes).

Usage: notify_cost.py WHARF_BINARY PORT_ONE PORT_TWO SECONDS   (prints JSON)
"""
import json, subprocess, sys, tempfile, threading, time

import boto3

wharf, one, two, seconds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]


def client(port):
    return boto3.client("sqs", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id="x", aws_secret_access_key="x")


def bench(queue):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([wharf, "bench", "send-batch", "--endpoint", f"http://127.0.0.1:{one}", "--connections", "32",
                        "--duration", seconds, "--queue", queue, "--json", out.name],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return json.load(open(out.name))[0]


results = {}
client(one).create_queue(QueueName="notify-quiet")
results["nobody_waiting"] = bench("notify-quiet")

url = client(two).create_queue(QueueName="notify-watched")["QueueUrl"]
stop = threading.Event()
received = [0]


def consume():
    sqs = client(two)
    while not stop.is_set():
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=20).get("Messages", [])
        received[0] += len(messages)


consumers = [threading.Thread(target=consume) for _ in range(4)]
for t in consumers:
    t.start()
time.sleep(1)
results["consumers_waiting_on_the_other_node"] = bench("notify-watched")
stop.set()
client(one).send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": "stop"} for i in range(10)])
for t in consumers:
    t.join()
results["messages_received_by_the_waiting_consumers"] = received[0]
quiet, watched = results["nobody_waiting"], results["consumers_waiting_on_the_other_node"]
results["throughput_ratio"] = round(watched["messagesPerSecond"] / quiet["messagesPerSecond"], 3)
print(json.dumps(results, indent=2))
