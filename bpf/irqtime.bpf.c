// SPDX-License-Identifier: GPL-2.0
/* irqtime.bpf.c - records the time of every device interrupt for entropyd.
 *
 * On the irq_handler_entry tracepoint it queues {timestamp, irq, cpu} into a ring
 * buffer; a full buffer drops the sample and counts it in `lost`, which
 * entropyd reports.  The reader is woken only when a batch is queued
 * (IRQTIME_WAKEUP_BYTES), never per interrupt.
 *
 * Known limit: a shared irq line runs one handler per device, so one
 * interrupt gives several samples a few hundred ns apart.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "irqtime.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, IRQTIME_RINGBUF_BYTES);
} samples SEC(".maps");

__u64 lost = 0;

/* A raw tracepoint: attaching needs no tracefs mount, and its first
 * argument is the irq number (TP_PROTO(int irq, struct irqaction *)). */
SEC("raw_tp/irq_handler_entry")
int irqtime_entry(struct bpf_raw_tracepoint_args *ctx)
{
	struct irqtime_sample *s;
	__u64 flags;

	s = bpf_ringbuf_reserve(&samples, sizeof(*s), 0);
	if (!s) {
		__sync_fetch_and_add(&lost, 1);
		return 0;
	}
	s->ts_ns = bpf_ktime_get_ns();
	s->irq = (__u32)ctx->args[0];
	s->cpu = bpf_get_smp_processor_id();

	flags = bpf_ringbuf_query(&samples, BPF_RB_AVAIL_DATA) >=
		IRQTIME_WAKEUP_BYTES ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	bpf_ringbuf_submit(s, flags);
	return 0;
}
