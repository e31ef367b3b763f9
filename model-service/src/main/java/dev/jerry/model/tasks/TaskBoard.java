package dev.jerry.model.tasks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every running task and the most recent finished ones, in the order they were created, and who listens to their
 * changes (the SSE stream). Finished tasks beyond {@code keepFinished} are forgotten, oldest first.
 */
public final class TaskBoard {
    private final int keepFinished;
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final List<Consumer<Task>> listeners = new CopyOnWriteArrayList<>();

    public TaskBoard(int keepFinished) {
        this.keepFinished = keepFinished;
    }

    public synchronized List<Task> all() {
        return List.copyOf(tasks.values());
    }

    public synchronized Optional<Task> get(String id) {
        return Optional.ofNullable(tasks.get(id));
    }

    /** The newest unfinished task of {@code model} on {@code node}, if one runs. */
    synchronized Optional<Task> active(String model, String node) {
        return tasks.values().stream()
                .filter(t -> !t.state().finished()
                        && t.model().equals(model)
                        && t.node().equals(node))
                .reduce((older, newer) -> newer);
    }

    /** Adds or replaces a task and tells every listener. */
    void put(Task task) {
        synchronized (this) {
            tasks.put(task.id(), task);
            if (task.state().finished()) {
                forgetOldFinished();
            }
        }
        listeners.forEach(listener -> listener.accept(task));
    }

    private void forgetOldFinished() {
        List<String> finished = new ArrayList<>();
        tasks.values().stream().filter(t -> t.state().finished()).forEach(t -> finished.add(t.id()));
        for (int i = 0; i < finished.size() - keepFinished; i++) {
            tasks.remove(finished.get(i));
        }
    }

    /** A listener's place; closing it ends the listening. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** {@code listener} hears every change from now on, until the returned handle is closed. */
    public Subscription subscribe(Consumer<Task> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
