/* irqtime.h - what irqtime.bpf.c hands to entropyd: one sample per
 * interrupt handler entry, and the ring buffer's sizing.  Fixed-width types
 * only; included by the eBPF program and by userspace. */
#ifndef SSLTRACE_IRQTIME_H
#define SSLTRACE_IRQTIME_H

/* Ring buffer size: 256 KiB holds about 10 000 samples, several seconds
 * of a busy disk, between two reads of the daemon. */
#define IRQTIME_RINGBUF_BYTES	(256 * 1024)

/* The program wakes the reader only once this much is queued, so a busy
 * line costs one wakeup per batch, not one per interrupt; the reader's
 * poll timeout picks up the remainder. */
#define IRQTIME_WAKEUP_BYTES	(64 * 24)

struct irqtime_sample {
	__u64 ts_ns;	/* bpf_ktime_get_ns() at handler entry */
	__u32 irq;	/* Linux irq number, as in /proc/interrupts */
	__u32 cpu;	/* CPU that took the interrupt */
};

#endif
