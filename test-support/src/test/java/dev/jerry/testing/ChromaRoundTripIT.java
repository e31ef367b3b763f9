package dev.jerry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.chroma.ChromaApiVersion;
import dev.langchain4j.store.embedding.chroma.ChromaEmbeddingStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ChromaExtension.class)
class ChromaRoundTripIT {

    private static ChromaEmbeddingStore store(ChromaServer chroma, String collection) {
        return ChromaEmbeddingStore.builder()
                .baseUrl(chroma.baseUrl().toString())
                .apiVersion(ChromaApiVersion.V2)
                .tenantName("default_tenant")
                .databaseName("default_database")
                .collectionName(collection)
                .build();
    }

    @Test
    void should_round_trip_a_vector_with_its_text_and_metadata_through_real_chroma(ChromaServer chroma) {
        // given
        ChromaEmbeddingStore store = store(chroma, "roundtrip");
        var manual = TextSegment.from(
                "The reactor must be cooled before maintenance.",
                Metadata.from("source", "manual.pdf").put("page", 7));
        var unrelated = TextSegment.from(
                "Bananas are yellow.", Metadata.from("source", "fruit.md").put("page", 1));
        store.addAll(
                List.of("chunk-manual-7", "chunk-fruit-1"),
                List.of(Embedding.from(new float[] {1f, 0f, 0f, 0.1f}), Embedding.from(new float[] {0f, 1f, 0.2f, 0f})),
                List.of(manual, unrelated));

        // when
        List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                        .queryEmbedding(Embedding.from(new float[] {0.9f, 0.05f, 0f, 0.1f}))
                        .maxResults(2)
                        .build())
                .matches();

        // then: nearest first, with its id, text and metadata intact
        assertThat(matches).hasSize(2);
        assertThat(matches.get(0).embeddingId()).isEqualTo("chunk-manual-7");
        assertThat(matches.get(0).embedded().text()).isEqualTo(manual.text());
        assertThat(matches.get(0).embedded().metadata().getString("source")).isEqualTo("manual.pdf");
        assertThat(matches.get(0).embedded().metadata().getInteger("page")).isEqualTo(7);
        assertThat(matches.get(0).score()).isGreaterThan(matches.get(1).score());
    }

    @Test
    void should_share_one_server_per_jvm_and_forget_removed_vectors(ChromaServer chroma) {
        // given
        ChromaEmbeddingStore store = store(chroma, "removal");
        store.add("only", Embedding.from(new float[] {0f, 0f, 1f}));

        // when
        store.removeAll(List.of("only"));

        // then
        assertThat(chroma.isAlive()).isTrue();
        assertThat(store.search(EmbeddingSearchRequest.builder()
                                .queryEmbedding(Embedding.from(new float[] {0f, 0f, 1f}))
                                .maxResults(5)
                                .build())
                        .matches())
                .isEmpty();
    }
}
