/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kpage_rec: whether what kpage_read gave for a frame is what the source
 * had: a snapshot records kpage* only at the frames its processes
 * mapped, a capture may have recorded a frame as bad, and a frame past
 * the end of /proc/kpageflags has no struct page. */
#ifndef VMSCOPE_KPAGE_REC_H
#define VMSCOPE_KPAGE_REC_H

#include "vmscope/kpage.h"

/* Whether what kpage_read gave for a frame is the source's truth (the
 * frame's kpageflags file as this root has it: see root_recorded). */
enum kpage_rec {
	KPAGE_REC_YES,          /* read, and what the source had */
	KPAGE_REC_NOT_RECORDED, /* a snapshot that did not record the frame */
	KPAGE_REC_BAD,          /* the capture's read failed, or its PFN is
				 * past what a snapshot holds (a bogus PFN) */
	KPAGE_REC_BEYOND_END,   /* past the end of /proc/kpageflags: no
				 * struct page backs this frame */
	KPAGE_REC_UNSURE,       /* no flags, in a snapshot from before the
				 * list of recorded frames: not recorded, or
				 * recorded without flags */
};
/* The state of pfn after a kpage_read of it gave flags (its kpageflags,
 * 0 when not asked).  Where kpageflags is not open: KPAGE_REC_YES. */
enum kpage_rec kpage_rec_of(const struct kpage *k, uint64_t pfn,
			    uint64_t flags);
/* "recorded", "not-recorded", "bad", "beyond-kpageflags", "unsure" */
const char *kpage_rec_name(enum kpage_rec s);
/* A few words for a table or a line: "not recorded in this snapshot",
 * "beyond kpageflags"; "" for KPAGE_REC_YES. */
const char *kpage_rec_short(enum kpage_rec s);
/* One line on what the state means ("not recorded in this snapshot:
 * ..."), for every view that shows a frame. */
const char *kpage_rec_why(enum kpage_rec s);

#endif
