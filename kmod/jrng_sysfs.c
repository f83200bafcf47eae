// SPDX-License-Identifier: GPL-2.0
/*
 * jrng_sysfs.c: /sys/kernel/jitter_rng/, one value per attribute.
 *
 *   health         startup, ok, rct_failure, apt_failure, coarse_timer,
 *                  disabled
 *   samples        raw samples the kthread has taken and tested
 *   credited_bits  bits credited to the kernel's generator
 *   rct_failures   repetition count test failures
 *   apt_failures   adaptive proportion test failures
 *   osr            raw samples per credited bit, 1 to 15 (root may write)
 *   enabled        1 or 0 (root may write)
 *
 * A write that is not a decimal number in range returns -EINVAL and leaves
 * the value as it was.
 */
#include "jitter_rng.h"

#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

static ssize_t health_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", jrng_health_names[READ_ONCE(jrng.health)]);
}

#define JRNG_COUNTER_ATTR(name)						\
static ssize_t name##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n",				\
			  (long long)atomic64_read(&jrng.name));	\
}									\
static struct kobj_attribute name##_attr = __ATTR_RO(name)

JRNG_COUNTER_ATTR(samples);
JRNG_COUNTER_ATTR(credited_bits);
JRNG_COUNTER_ATTR(rct_failures);
JRNG_COUNTER_ATTR(apt_failures);

static struct kobj_attribute health_attr = __ATTR_RO(health);

/* Parse a decimal in [min, max]; any other input is -EINVAL, even ERANGE. */
static int jrng_parse_uint(const char *buf, unsigned int min, unsigned int max,
			   unsigned int *out)
{
	unsigned int v;

	if (kstrtouint(buf, 10, &v) || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Publish a new configuration: the kthread restarts with a start-up test. */
static void jrng_publish(struct jrng *j)
{
	WRITE_ONCE(j->cfg_gen, j->cfg_gen + 1);
	jrng_kick(j);
}

static ssize_t osr_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(jrng.osr));
}

static ssize_t osr_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	unsigned int v;

	if (jrng_parse_uint(buf, JRNG_OSR_MIN, JRNG_OSR_MAX, &v))
		return -EINVAL;
	mutex_lock(&jrng.cfg_lock);
	if (v != jrng.osr) {
		WRITE_ONCE(jrng.osr, v);
		jrng_publish(&jrng);
	}
	mutex_unlock(&jrng.cfg_lock);
	return count;
}

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(jrng.enabled));
}

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	unsigned int v;

	if (jrng_parse_uint(buf, 0, 1, &v))
		return -EINVAL;
	mutex_lock(&jrng.cfg_lock);
	if (v != jrng.enabled) {
		WRITE_ONCE(jrng.enabled, v);
		jrng_publish(&jrng);
	}
	mutex_unlock(&jrng.cfg_lock);
	return count;
}

/* 0644: only root may write, as for the kernel's own tunables. */
static struct kobj_attribute osr_attr = __ATTR_RW(osr);
static struct kobj_attribute enabled_attr = __ATTR_RW(enabled);

static struct attribute *jrng_attrs[] = {
	&health_attr.attr,
	&samples_attr.attr,
	&credited_bits_attr.attr,
	&rct_failures_attr.attr,
	&apt_failures_attr.attr,
	&osr_attr.attr,
	&enabled_attr.attr,
	NULL,
};

static const struct attribute_group jrng_group = {
	.attrs = jrng_attrs,
};

int jrng_sysfs_init(struct jrng *j)
{
	int err;

	j->kobj = kobject_create_and_add(KBUILD_MODNAME, kernel_kobj);
	if (!j->kobj)
		return -ENOMEM;
	err = sysfs_create_group(j->kobj, &jrng_group);
	if (err) {
		kobject_put(j->kobj);
		j->kobj = NULL;
		pr_err("cannot create /sys/kernel/%s: %d\n", KBUILD_MODNAME, err);
	}
	return err;
}

/* Returns once no reader or writer is inside an attribute any more. */
void jrng_sysfs_exit(struct jrng *j)
{
	if (!j->kobj)
		return;
	sysfs_remove_group(j->kobj, &jrng_group);
	kobject_put(j->kobj);
	j->kobj = NULL;
}
