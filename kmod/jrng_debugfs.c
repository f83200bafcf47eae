// SPDX-License-Identifier: GPL-2.0
/*
 * jrng_debugfs.c: measurement and test hooks under
 * /sys/kernel/debug/jitter_rng/, for root only.
 *
 *   raw    (0400) fresh raw samples, one unsigned decimal per line, measured
 *          by the reader with the same loop as the kthread.  They are never
 *          credited and never seen by the kthread: reading them costs
 *          nothing in entropy.  Samples carry the injected fault, if any.
 *   fault  (0600) test-only fault injection: none, stuck or biased.  It
 *          takes effect at the kthread's next sample, without a restart.
 */
#include "jitter_rng.h"

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define JRNG_RAW_CHUNK	(16 * 1024)	/* bytes formatted per read() */
#define JRNG_RAW_LINE	21		/* 20 digits of a u64 and '\n' */

struct jrng_raw_reader {
	struct jrng_noise noise;
	char buf[JRNG_RAW_CHUNK + 1];	/* + the NUL scnprintf writes */
};

static int jrng_raw_open(struct inode *inode, struct file *file)
{
	struct jrng_raw_reader *rd;
	int err;

	rd = kvzalloc(sizeof(*rd), GFP_KERNEL);
	if (!rd)
		return -ENOMEM;
	err = jrng_noise_init(&rd->noise);
	if (err) {
		kvfree(rd);
		return err;
	}
	file->private_data = rd;
	return nonseekable_open(inode, file);
}

static int jrng_raw_release(struct inode *inode, struct file *file)
{
	struct jrng_raw_reader *rd = file->private_data;

	jrng_noise_free(&rd->noise);
	kvfree(rd);
	return 0;
}

/*
 * Each read() measures as many whole lines as fit, up to JRNG_RAW_CHUNK
 * bytes (about 800 samples, a few milliseconds).  A read() with room for
 * less than one line (21 bytes) gets -EINVAL: lines are never split.
 */
static ssize_t jrng_raw_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct jrng_raw_reader *rd = file->private_data;
	size_t len = 0, room = min_t(size_t, count, JRNG_RAW_CHUNK);

	while (len + JRNG_RAW_LINE <= room) {
		u64 x = jrng_noise_sample(&rd->noise, READ_ONCE(jrng.fault));

		len += scnprintf(rd->buf + len, JRNG_RAW_LINE + 1, "%llu\n", x);
		if (fatal_signal_pending(current))
			break;
	}
	cond_resched();
	if (len == 0)
		return room < JRNG_RAW_LINE ? -EINVAL : -EINTR;
	if (copy_to_user(ubuf, rd->buf, len))
		return -EFAULT;
	return len;
}

static const struct file_operations jrng_raw_fops = {
	.owner		= THIS_MODULE,
	.open		= jrng_raw_open,
	.release	= jrng_raw_release,
	.read		= jrng_raw_read,
	.llseek		= no_llseek,
};

static ssize_t jrng_fault_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	const char *name = jrng_fault_names[READ_ONCE(jrng.fault)];
	char line[16];
	int len = scnprintf(line, sizeof(line), "%s\n", name);

	return simple_read_from_buffer(ubuf, count, ppos, line, len);
}

static ssize_t jrng_fault_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char line[16];
	int i;

	if (count == 0 || count >= sizeof(line))
		return -EINVAL;
	if (copy_from_user(line, ubuf, count))
		return -EFAULT;
	line[count] = '\0';
	i = __sysfs_match_string(jrng_fault_names, JRNG_FAULT_COUNT, line);
	/* A coarse timer is only detected at load: fault=coarse there. */
	if (i < 0 || i == JRNG_FAULT_COARSE)
		return -EINVAL;
	mutex_lock(&jrng.cfg_lock);
	WRITE_ONCE(jrng.fault, i);
	jrng_kick(&jrng);
	mutex_unlock(&jrng.cfg_lock);
	return count;
}

static const struct file_operations jrng_fault_fops = {
	.owner		= THIS_MODULE,
	.open		= simple_open,
	.read		= jrng_fault_read,
	.write		= jrng_fault_write,
	.llseek		= default_llseek,
};

/* debugfs is optional: without it the module works, unmeasured. */
void jrng_debugfs_init(struct jrng *j)
{
	j->debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("raw", 0400, j->debugfs, NULL, &jrng_raw_fops);
	debugfs_create_file("fault", 0600, j->debugfs, NULL, &jrng_fault_fops);
}

void jrng_debugfs_exit(struct jrng *j)
{
	debugfs_remove_recursive(j->debugfs);
	j->debugfs = NULL;
}
