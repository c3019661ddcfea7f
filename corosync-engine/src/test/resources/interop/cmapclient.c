/*
 * Calls of libcmap that corosync-cmapctl never makes, printed one per line so the output against a
 * corosync4j node can be compared with the output against Corosync's daemon.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <corosync/cmap.h>

static int events;

static void changed(cmap_handle_t handle, cmap_track_handle_t track, int32_t event, const char *key,
		struct cmap_notify_value new_value, struct cmap_notify_value old_value, void *context)
{
	uint32_t now = 0;
	uint32_t before = 0;

	if (new_value.len == sizeof(now)) {
		memcpy(&now, new_value.data, sizeof(now));
	}
	if (old_value.len == sizeof(before)) {
		memcpy(&before, old_value.data, sizeof(before));
	}
	printf("event %d %s new type %d len %zu value %" PRIu32 " old type %d len %zu value %" PRIu32 " context %s\n",
			event, key, new_value.type, new_value.len, now, old_value.type, old_value.len, before, (char *)context);
	events++;
}

int main(void)
{
	cmap_handle_t handle;
	cmap_handle_t stats;
	cmap_iter_handle_t iter;
	cmap_track_handle_t track;
	char key[CMAP_KEYNAME_MAXLEN + 1];
	char small[2];
	char *text;
	size_t length;
	cmap_value_types_t type;
	uint32_t u32;
	uint8_t u8;
	int8_t i8;
	uint64_t u64;
	cs_error_t error;

	if (cmap_initialize(&handle) != CS_OK) {
		printf("no cmap\n");
		return 1;
	}

	printf("set u32 %d\n", cmap_set_uint32(handle, "test.c.n", 10));
	printf("inc %d\n", cmap_inc(handle, "test.c.n"));
	printf("dec %d\n", cmap_dec(handle, "test.c.n"));
	printf("dec %d\n", cmap_dec(handle, "test.c.n"));
	u32 = 0;
	error = cmap_get_uint32(handle, "test.c.n", &u32);
	printf("get u32 %d %" PRIu32 "\n", error, u32);
	printf("set u8 %d\n", cmap_set_uint8(handle, "test.c.b", 255));
	printf("inc wraps %d\n", cmap_inc(handle, "test.c.b"));
	u8 = 1;
	error = cmap_get_uint8(handle, "test.c.b", &u8);
	printf("get u8 %d %" PRIu8 "\n", error, u8);
	printf("get as i8 %d\n", cmap_get_int8(handle, "test.c.b", &i8));
	printf("set string %d\n", cmap_set_string(handle, "test.c.s", "text"));
	printf("inc string %d\n", cmap_inc(handle, "test.c.s"));
	printf("inc missing %d\n", cmap_inc(handle, "test.c.none"));
	printf("inc read-only %d\n", cmap_inc(handle, "nodelist.node.0.nodeid"));
	printf("delete read-only %d\n", cmap_delete(handle, "nodelist.node.0.nodeid"));
	length = 0;
	type = 0;
	error = cmap_get(handle, "test.c.s", NULL, &length, &type);
	printf("get length %d %zu %d\n", error, length, type);
	length = sizeof(small);
	printf("get too small %d\n", cmap_get(handle, "test.c.s", small, &length, &type));
	text = NULL;
	error = cmap_get_string(handle, "test.c.s", &text);
	printf("get string %d %s\n", error, text ? text : "-");
	free(text);
	printf("set empty %d\n", cmap_set_string(handle, "test.c.e", ""));
	length = 0;
	error = cmap_get(handle, "test.c.e", NULL, &length, &type);
	printf("get empty %d %zu\n", error, length);

	printf("iter empty %d\n", cmap_iter_init(handle, "test.nothing.", &iter));
	printf("next %d\n", cmap_iter_next(handle, iter, key, &length, &type));
	printf("finalize %d\n", cmap_iter_finalize(handle, iter));
	printf("finalize again %d\n", cmap_iter_finalize(handle, iter));
	printf("next finalized %d\n", cmap_iter_next(handle, iter, key, &length, &type));
	printf("iter %d\n", cmap_iter_init(handle, "test.c.", &iter));
	while (cmap_iter_next(handle, iter, key, &length, &type) == CS_OK) {
		printf("key %s %zu %d\n", key, length, type);
	}
	printf("finalize %d\n", cmap_iter_finalize(handle, iter));

	printf("track bad flags %d\n", cmap_track_add(handle, "test.c.n", 16, changed, "x", &track));
	printf("track %d\n", cmap_track_add(handle, "test.c.n", CMAP_TRACK_MODIFY | CMAP_TRACK_DELETE, changed, "n", &track));
	printf("set %d\n", cmap_set_uint32(handle, "test.c.n", 77));
	printf("dispatch %d\n", cmap_dispatch(handle, CS_DISPATCH_ONE));
	printf("delete %d\n", cmap_delete(handle, "test.c.n"));
	printf("dispatch %d\n", cmap_dispatch(handle, CS_DISPATCH_ONE));
	printf("track delete %d\n", cmap_track_delete(handle, track));
	printf("track delete again %d\n", cmap_track_delete(handle, track));
	printf("events %d\n", events);

	printf("stats map %d\n", cmap_initialize_map(&stats, CMAP_MAP_STATS));
	printf("stats get %d\n", cmap_get_uint64(stats, "stats.srp.orf_token_rx", &u64));
	printf("stats get default key %d\n", cmap_get_uint32(stats, "test.c.b", &u32));
	printf("stats set %d\n", cmap_set_uint64(stats, "stats.srp.orf_token_rx", 1));
	printf("stats clear unknown %d\n", cmap_set_uint8(stats, "stats.clear.nothing", 1));
	printf("stats delete %d\n", cmap_delete(stats, "stats.srp.orf_token_rx"));
	printf("stats inc %d\n", cmap_inc(stats, "stats.srp.orf_token_rx"));
	printf("stats prefix track without delete %d\n",
			cmap_track_add(stats, "stats.", CMAP_TRACK_ADD | CMAP_TRACK_PREFIX, changed, "s", &track));
	printf("stats iter %d\n", cmap_iter_init(stats, "stats.srp.orf_token_r", &iter));
	while (cmap_iter_next(stats, iter, key, &length, &type) == CS_OK) {
		printf("stats key %s %zu %d\n", key, length, type);
	}
	cmap_iter_finalize(stats, iter);
	cmap_finalize(stats);

	printf("delete %d\n", cmap_delete(handle, "test.c.b"));
	printf("delete %d\n", cmap_delete(handle, "test.c.s"));
	printf("delete %d\n", cmap_delete(handle, "test.c.e"));
	cmap_finalize(handle);
	return 0;
}
