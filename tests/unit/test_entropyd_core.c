/* test_entropyd_core.c - entropyd's decisions on recorded interrupts,
 * without eBPF: health tests per line, credit per sample, blocks, and the
 * state file.
 *
 * tests/unit/data/irq-recorded.txt holds 3200 interrupts recorded on the
 * build host under disk load (irq 36, the disk, has 3197 of them) and a
 * stuck line, irq 200, whose delta never changes.  The tests run from the
 * top of the tree, as `make check` does.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "entropyd_core.h"
#include "entropyd_state.h"
#include "tap.h"

#define RECORDED "tests/unit/data/irq-recorded.txt"

/* Feed the recorded file; with `credited`, close a credited block whenever
 * one is due, as the daemon does, and add up the credit.  Returns the
 * number of samples fed. */
static size_t feed_recorded(struct ed_core *c, unsigned *credited)
{
	FILE *f = fopen(RECORDED, "r");
	char line[128];
	size_t n = 0;

	if (!f) {
		printf("# cannot open %s\n", RECORDED);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned irq, cpu;
		unsigned long long ts;
		struct ed_block b;

		if (line[0] == '#' ||
		    sscanf(line, "%u %u %llu", &irq, &cpu, &ts) != 3)
			continue;
		ed_core_sample(c, irq, cpu, ts);
		n++;
		if (credited && ed_core_block_due(c) &&
		    ed_core_take_block(c, 1, &b) == 0)
			*credited += b.credit;
	}
	fclose(f);
	return n;
}

static void stuck_line_fails_and_earns_nothing_while_the_disk_line_earns(void)
{
	struct ed_core c;
	struct ed_line *disk, *stuck;
	unsigned credited = 0;

	EXPECT_INT(ed_core_init(&c, 0.5), 0);
	EXPECT_INT(feed_recorded(&c, &credited), 5700);
	disk = ed_core_line(&c, 36);
	stuck = ed_core_line(&c, 200);
	EXPECT(disk && stuck);
	if (!disk || !stuck)
		goto out;

	EXPECT_STR(ed_health_name(stuck->health), "rct_failure");
	/* Every delta of the stuck line has the same low byte. */
	EXPECT_INT(stuck->hist[476224 & 0xff], stuck->samples - 1);
	EXPECT(stuck->rct_failures >= 1);
	EXPECT(stuck->creditable_bits == 0.0);
	EXPECT(stuck->credited_bits == 0.0);

	EXPECT_STR(ed_health_name(disk->health), "ok");
	EXPECT_INT(disk->rct_failures + disk->apt_failures, 0);
	EXPECT(disk->estimate > 1.0 && disk->estimate <= 8.0);
	EXPECT(disk->creditable_bits > 0.0);
	EXPECT(disk->credited_bits > 0.0);
	EXPECT(credited > 0);
out:
	ed_core_free(&c);
}

static void credit_never_exceeds_ratio_times_estimate(void)
{
	struct ed_core c;
	struct ed_line *disk;
	double tested;

	EXPECT_INT(ed_core_init(&c, 0.5), 0);
	feed_recorded(&c, NULL);
	disk = ed_core_line(&c, 36);
	EXPECT(disk != NULL);
	if (!disk)
		goto out;
	/* Samples after the first (no delta) and the start-up test; the
	 * estimate did not change: fewer than ED_WINDOW tested samples. */
	tested = (double)(disk->samples - 1 - ED_STARTUP_SAMPLES);
	EXPECT(disk->samples - 1 - ED_STARTUP_SAMPLES < ED_WINDOW);
	EXPECT(fabs(disk->creditable_bits -
		    tested * ed_sample_credit(disk->estimate, 0.5)) < 1e-6);
	EXPECT(disk->creditable_bits <= 0.5 * disk->estimate * tested + 1e-9);
out:
	ed_core_free(&c);
}

static void ratio_zero_feeds_blocks_without_credit(void)
{
	struct ed_core c;
	struct ed_block b;
	struct ed_line *disk;

	EXPECT_INT(ed_core_init(&c, 0.0), 0);
	feed_recorded(&c, NULL);
	disk = ed_core_line(&c, 36);
	EXPECT(disk && disk->creditable_bits == 0.0);
	EXPECT_INT(ed_core_block_due(&c), 0);
	EXPECT_INT(ed_core_take_block(&c, 1, &b), 0);
	EXPECT_INT(b.credit, 0);
	EXPECT_INT(b.samples, 5700);
	EXPECT_INT(ed_core_take_block(&c, 1, &b), 1);	/* nothing left */
	ed_core_free(&c);
}

static void sample_credit_leaves_the_kernels_bit_and_keeps_the_ratio(void)
{
	EXPECT(fabs(ed_sample_credit(8.0, 0.5) - 4.0) < 1e-12);
	EXPECT(fabs(ed_sample_credit(6.0, 1.0) - 5.0) < 1e-12);
	EXPECT(fabs(ed_sample_credit(1.5, 0.5) - 0.5) < 1e-12);
	EXPECT(ed_sample_credit(1.0, 0.5) == 0.0);
	EXPECT(ed_sample_credit(0.5, 1.0) == 0.0);
	EXPECT(ed_sample_credit(8.0, 0.0) == 0.0);
	EXPECT(ed_sample_credit(-1.0, 0.5) == 0.0);
}

static void line_that_gets_stuck_after_start_up_loses_its_pending_credit(void)
{
	struct ed_core c;
	struct ed_line *disk;
	uint64_t ts;
	int i;

	EXPECT_INT(ed_core_init(&c, 0.5), 0);
	feed_recorded(&c, NULL);
	disk = ed_core_line(&c, 36);
	EXPECT(disk && disk->pending > 0.0);
	if (!disk)
		goto out;
	ts = disk->last_ns;
	for (i = 0; i < 40 && disk->health == ED_OK; i++)
		ed_core_sample(&c, 36, 0, ts += 1000000);
	EXPECT_STR(ed_health_name(disk->health), "rct_failure");
	EXPECT(disk->pending == 0.0);
	EXPECT(c.pending < 1e-6);
	/* Back in start-up: the next samples earn nothing. */
	ed_core_sample(&c, 36, 0, ts + 777);
	EXPECT(disk->pending == 0.0);
out:
	ed_core_free(&c);
}

static void block_credit_is_capped_and_shared_by_lines(void)
{
	struct ed_core c;
	struct ed_block b;
	struct ed_line *disk;

	EXPECT_INT(ed_core_init(&c, 1.0), 0);
	feed_recorded(&c, NULL);
	disk = ed_core_line(&c, 36);
	EXPECT(disk && c.pending > ED_BLOCK_MAX_CREDIT);
	EXPECT_INT(ed_core_take_block(&c, 1, &b), 0);
	EXPECT_INT(b.credit, ED_BLOCK_MAX_CREDIT);
	if (disk)
		EXPECT(fabs(disk->credited_bits - ED_BLOCK_MAX_CREDIT) < 1e-6);
	EXPECT(c.pending == 0.0);
	ed_core_free(&c);
}

static void ready_kernel_gets_blocks_without_credit(void)
{
	struct ed_core c;
	struct ed_block b;

	EXPECT_INT(ed_core_init(&c, 0.5), 0);
	feed_recorded(&c, NULL);
	EXPECT(c.pending > 0.0);
	EXPECT_INT(ed_core_take_block(&c, 0, &b), 0);
	EXPECT_INT(b.credit, 0);
	ed_core_free(&c);
}

static void rate_of_a_burst_is_spread_over_the_whole_observation(void)
{
	struct ed_core c;
	uint64_t t;
	int i;

	EXPECT_INT(ed_core_init(&c, 0.5), 0);
	for (i = 0; i < 10; i++)	/* irq 1: once a second, 0 to 9 s */
		ed_core_sample(&c, 1, 0, (uint64_t)i * 1000000000);
	for (t = 4000000000; t < 4005000000; t += 1000000)  /* irq 2: 5 in 5 ms */
		ed_core_sample(&c, 2, 1, t);
	EXPECT(fabs(ed_line_rate(&c, ed_core_line(&c, 1)) - 10.0 / 9.0) < 1e-9);
	EXPECT(fabs(ed_line_rate(&c, ed_core_line(&c, 2)) - 5.0 / 9.0) < 1e-9);
	ed_core_free(&c);
}

static void state_file_round_trips(void)
{
	char path[] = "/tmp/entropyd-state-test.XXXXXX";
	struct ed_state *w = calloc(1, sizeof(*w)), *r = calloc(1, sizeof(*r));
	struct ed_core c;
	int fd = mkstemp(path);

	EXPECT(fd >= 0 && w && r);
	if (fd < 0 || !w || !r)
		goto out;
	close(fd);
	EXPECT_INT(ed_core_init(&c, 0.5), 0);
	feed_recorded(&c, NULL);
	snprintf(c.lines[0]->name, ED_NAME_LEN, "virtio1 req 0");
	ed_state_from_core(w, &c);
	w->pid = 4242;
	w->credit_ratio = 0.5;
	w->credited_bits = 77;
	snprintf(w->backoff, sizeof(w->backoff), "ready");
	EXPECT_INT(ed_state_write(path, w), 0);
	EXPECT_INT(ed_state_read(path, r), 0);
	EXPECT_INT(r->pid, 4242);
	EXPECT_INT(r->samples, 5700);
	EXPECT_INT(r->credited_bits, 77);
	EXPECT_STR(r->backoff, "ready");
	EXPECT_INT(r->nr_lines, c.nr_lines);
	EXPECT_INT(r->lines[0].irq, c.lines[0]->irq);
	EXPECT_STR(r->lines[0].name, "virtio1 req 0");
	EXPECT_STR(r->lines[0].tests, ed_health_name(c.lines[0]->health));
	EXPECT_INT(r->lines[0].samples, c.lines[0]->samples);
	EXPECT_INT(r->lines[0].common, w->lines[0].common);
	EXPECT(fabs(r->lines[0].common_share - w->lines[0].common_share) < 1e-4);
	ed_core_free(&c);
	unlink(path);
out:
	free(w);
	free(r);
}

static void state_file_without_header_is_refused(void)
{
	char path[] = "/tmp/entropyd-state-test.XXXXXX";
	struct ed_state *s = calloc(1, sizeof(*s));
	int fd = mkstemp(path);

	EXPECT(fd >= 0 && s);
	if (fd < 0 || !s)
		goto out;
	EXPECT(write(fd, "pid 1\n", 6) == 6);
	close(fd);
	EXPECT(ed_state_read(path, s) < 0);
	unlink(path);
out:
	free(s);
}

int main(void)
{
	RUN(stuck_line_fails_and_earns_nothing_while_the_disk_line_earns);
	RUN(credit_never_exceeds_ratio_times_estimate);
	RUN(ratio_zero_feeds_blocks_without_credit);
	RUN(sample_credit_leaves_the_kernels_bit_and_keeps_the_ratio);
	RUN(line_that_gets_stuck_after_start_up_loses_its_pending_credit);
	RUN(block_credit_is_capped_and_shared_by_lines);
	RUN(ready_kernel_gets_blocks_without_credit);
	RUN(rate_of_a_burst_is_spread_over_the_whole_observation);
	RUN(state_file_round_trips);
	RUN(state_file_without_header_is_refused);
	return TAP_EXIT();
}
