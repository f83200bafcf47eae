/* entropyd.h - what entropyd.c and entropyd_status.c share. */
#ifndef SSLTRACE_ENTROPYD_H
#define SSLTRACE_ENTROPYD_H

/* 1 when the kernel's generator is ready: getrandom(GRND_NONBLOCK)
 * succeeds.  (entropy_avail cannot tell: it stays at 256 once ready.) */
int ed_kernel_ready(void);

/* `entropyd status [--json]`; returns the exit status. */
int ed_status(int json);

#endif
