/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kpage_rec: whether what kpage_read gave for a frame is the truth.  A
 * snapshot records kpage* only at the frames its processes mapped; the
 * rest reads as zeros, which is not "no flags, map count 0".  And a frame
 * past the end of /proc/kpageflags has no struct page at all. */
#include "vmscope/kpage_rec.h"

enum kpage_rec kpage_rec_of(const struct kpage *k, uint64_t pfn,
			    uint64_t flags)
{
	const struct root_file *f = k->file[0];
	bool past = k->end_met[0] && pfn >= k->file_end[0];

	if (!f)
		return KPAGE_REC_YES;
	/* PFNs past 2^60 are no file offset: past any end */
	switch (pfn >> 60 ? ROOT_REC_YES :
		root_recorded(f->root, f->rel, pfn * 8, 8)) {
	case ROOT_REC_NO:
		return KPAGE_REC_NOT_RECORDED;
	case ROOT_REC_BAD:
		return KPAGE_REC_BAD;
	case ROOT_REC_UNKNOWN:
		/* an older capture: past its file, nothing was recorded;
		 * flags say the frame was; no flags say nothing */
		return past ? KPAGE_REC_NOT_RECORDED :
		       flags ? KPAGE_REC_YES : KPAGE_REC_UNSURE;
	case ROOT_REC_YES:
	default:
		return past ? KPAGE_REC_BEYOND_END : KPAGE_REC_YES;
	}
}

const char *kpage_rec_name(enum kpage_rec s)
{
	switch (s) {
	case KPAGE_REC_YES: return "recorded";
	case KPAGE_REC_NOT_RECORDED: return "not-recorded";
	case KPAGE_REC_BAD: return "bad";
	case KPAGE_REC_BEYOND_END: return "beyond-kpageflags";
	case KPAGE_REC_UNSURE: return "unsure";
	}
	return "?";
}

const char *kpage_rec_short(enum kpage_rec s)
{
	switch (s) {
	case KPAGE_REC_YES: return "";
	case KPAGE_REC_NOT_RECORDED: return "not recorded in this snapshot";
	case KPAGE_REC_BAD: return "recorded as bad in this snapshot";
	case KPAGE_REC_BEYOND_END: return "beyond kpageflags";
	case KPAGE_REC_UNSURE: return "no flags, or not recorded";
	}
	return "";
}

const char *kpage_rec_why(enum kpage_rec s)
{
	switch (s) {
	case KPAGE_REC_YES:
		return "";
	case KPAGE_REC_NOT_RECORDED:
		return "not recorded in this snapshot: it keeps the flags, map count and cgroup of the frames its processes mapped, not this one";
	case KPAGE_REC_BAD:
		return "recorded as bad in this snapshot: the capture could not read this frame's entry, or its PFN lies past the largest file a snapshot holds (a bogus PFN)";
	case KPAGE_REC_BEYOND_END:
		return "beyond kpageflags: the kernel describes no frame this high (no struct page backs it)";
	case KPAGE_REC_UNSURE:
		return "no flags, or not recorded in this snapshot: it was written before snapshots listed the frames they recorded";
	}
	return "";
}
