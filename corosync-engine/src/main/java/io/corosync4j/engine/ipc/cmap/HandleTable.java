package io.corosync4j.engine.ipc.cmap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * One connection's handles of one kind, made as libqb's handle database makes them: the low 32 bits
 * are the lowest free slot, the high 32 a random positive check, so a stale or made-up handle is
 * refused ({@code CS_ERR_BAD_HANDLE}) and a check of all ones matches any, as libqb allows.
 */
final class HandleTable<T> {

	private static final int ANY_CHECK = -1;

	private final List<@Nullable Slot<T>> slots = new ArrayList<>();

	/** Stores {@code value}; its handle. */
	long add(T value) {
		int index = this.slots.indexOf(null);
		if (index < 0) {
			index = this.slots.size();
			this.slots.add(null);
		}
		int check = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
		this.slots.set(index, new Slot<>(check, value));
		return ((long) check << 32) | index;
	}

	/** The value of a handle, or null when the handle is not (or no longer) one of these. */
	@Nullable T get(long handle) {
		int index = (int) handle;
		int check = (int) (handle >>> 32);
		if (index < 0 || index >= this.slots.size()) {
			return null;
		}
		Slot<T> slot = this.slots.get(index);
		if (slot == null || (check != ANY_CHECK && check != slot.check())) {
			return null;
		}
		return slot.value();
	}

	/** Removes a handle; its value, or null when there was none. */
	@Nullable T remove(long handle) {
		T value = get(handle);
		if (value != null) {
			this.slots.set((int) handle, null);
		}
		return value;
	}

	boolean isEmpty() {
		return this.slots.stream().allMatch((slot) -> slot == null);
	}

	/** Every stored value, in slot order. */
	List<T> values() {
		List<T> values = new ArrayList<>();
		for (Slot<T> slot : this.slots) {
			if (slot != null) {
				values.add(slot.value());
			}
		}
		return values;
	}

	/** Every stored value, and the table emptied. */
	List<T> clear() {
		List<T> values = values();
		this.slots.clear();
		return values;
	}

	private record Slot<T>(int check, T value) {
	}

}
